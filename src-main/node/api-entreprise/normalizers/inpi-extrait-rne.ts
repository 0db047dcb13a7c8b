// INPI extrait RNE (attestation d'immatriculation au registre national des entreprises), v3:
// `/v3/inpi/rne/unites_legales/{siren}/extrait_rne`. Identity and legal status from the RNE, the
// head office, and the PDF attestation (`document_url`). A dissolved company surfaces as ceased.
// `diffusion_insee: false` means the company is partially diffusible at INSEE.
import { z } from 'zod';
import type { CompanyRecord, DiffusionStatus, EstablishmentRecord, NormalizedAnswer, PostalAddress } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import {
  amount,
  answer,
  attestation,
  codeLibelle,
  flag,
  formatAmount,
  isoDate,
  joinParts,
  list,
  parsePayload,
  personName,
  sirenField,
  text,
  toAddress,
} from './shared';

const rneAddressSchema = z.object({ voie: text, code_postal: text, commune: text, pays: text, complement: text }).nullish();

function rneAddress(address: z.output<typeof rneAddressSchema>): PostalAddress | null {
  if (!address) return null;
  return toAddress({
    street: joinParts([address.voie, address.complement], ', '),
    postalCode: address.code_postal,
    city: address.commune,
    country: address.pays,
  });
}

const rneAnswerSchema = z.object({
  data: z.object({
    document_url: text,
    identite_entreprise: z.object({
      denomination: text,
      nom: text,
      prenoms: list(text),
      siren: sirenField,
      date_immatriculation_rne: isoDate,
      date_debut_activite: isoDate,
      dissolution: z.object({ date: isoDate, poursuite_activite: flag, avec_liquidation: flag }).nullish(),
      nature_entreprise: text,
      forme_juridique: codeLibelle,
      code_APE: codeLibelle,
      capital_social: z.object({ montant: amount, devise: text }).nullish(),
      adresse_siege_social: rneAddressSchema,
    }),
    dirigeants_et_associes: list(z.object({ qualite: text, nom: text, prenom: text })),
    etablissements: list(
      z.object({
        type_etablissement: text,
        siret: text,
        code_APE: codeLibelle,
        adresse: rneAddressSchema,
        statut: text,
      }),
    ),
    diffusion_commerciale: flag,
    diffusion_insee: flag,
    etablissements_fermes_total: z.number().int().nullish(),
    observations: list(z.object({ texte: text })),
  }),
});

function rneDiffusion(diffusionInsee: boolean | null): DiffusionStatus {
  if (diffusionInsee === null) return 'unknown';
  return diffusionInsee ? 'diffusible' : 'partiellement_diffusible';
}

export function normalizeInpiExtraitRne(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, rneAnswerSchema, payload);
  const identity = data.identite_entreprise;
  const dissolvedOn = identity.dissolution?.date ?? null;
  const diffusion = rneDiffusion(data.diffusion_insee);
  const name = identity.denomination ?? personName(identity.prenoms[0] ?? null, identity.nom);
  const headOffice = data.etablissements.find((e) => e.type_etablissement?.toLowerCase().startsWith('siège') && e.siret !== null);
  const company: CompanyRecord = {
    siren: identity.siren,
    name,
    legalForm: identity.forme_juridique,
    activity: identity.code_APE,
    administrativeStatus: dissolvedOn !== null ? 'ceased' : 'active',
    ceasedOn: dissolvedOn,
    diffusion,
    createdOn: null,
    headOfficeSiret: headOffice?.siret ?? null,
    category: null,
  };
  let establishment: EstablishmentRecord | null = null;
  if (headOffice?.siret && /^\d{14}$/.test(headOffice.siret)) {
    const closed = headOffice.statut?.toLowerCase().startsWith('ferm') ?? false;
    establishment = {
      siret: headOffice.siret,
      siren: headOffice.siret.slice(0, 9),
      name,
      isHeadOffice: true,
      address: rneAddress(headOffice.adresse) ?? rneAddress(identity.adresse_siege_social),
      activity: headOffice.code_APE,
      administrativeStatus: headOffice.statut === null ? 'unknown' : closed ? 'ceased' : 'active',
      closedOn: null,
      diffusion,
    };
  }
  const capital = formatAmount(identity.capital_social?.montant ?? null, identity.capital_social?.devise ?? null);
  const officers = data.dirigeants_et_associes
    .map((d) => {
      const who = personName(d.prenom, d.nom);
      return who && d.qualite ? `${d.qualite} : ${who}` : (who ?? d.qualite);
    })
    .filter((line): line is string => line !== null);
  return answer({
    company,
    establishment,
    attestations: [
      attestation('rne_extract', identifier, {
        status: data.document_url !== null ? 'delivered' : 'unknown',
        documentUrl: data.document_url,
        details: {
          Dénomination: name,
          'Forme juridique': identity.forme_juridique?.label ?? null,
          'Nature de l’entreprise': identity.nature_entreprise,
          'Date d’immatriculation au RNE': identity.date_immatriculation_rne,
          'Début d’activité': identity.date_debut_activite,
          'Date de dissolution': dissolvedOn,
          Capital: capital,
          'Dirigeants et associés': officers.length > 0 ? officers.join('\n') : null,
          Observations: data.observations.length > 0 ? String(data.observations.length) : null,
        },
      }),
    ],
    facts: {
      business_nature: identity.nature_entreprise,
      registered_on: identity.date_immatriculation_rne,
      activity_started_on: identity.date_debut_activite,
      dissolved_on: dissolvedOn,
      share_capital: capital,
      officers_count: String(data.dirigeants_et_associes.length),
      closed_establishments_count: data.etablissements_fermes_total?.toString() ?? null,
    },
  });
}
