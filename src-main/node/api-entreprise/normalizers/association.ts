// Associations (DJEPVA "API Association", v4): `/v4/djepva/api-association/associations/{siren_or_rna}`.
// RNA and SIRENE data of an association: identity, head office, legal status. `active: false`
// (dissolved or deleted from the RNA) surfaces as ceased. An association known only by its RNA
// number (no SIREN) yields no company record: its facts still carry the RNA and the name.
import { z } from 'zod';
import type { CompanyRecord, EstablishmentRecord, NormalizedAnswer, PostalAddress } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { answer, codeLibelle, flag, identifierParts, isoDate, joinParts, list, parsePayload, text, toAddress, yesNo } from './shared';

const associationAddressSchema = z
  .object({
    complement: text,
    numero_voie: text,
    type_voie: text,
    libelle_voie: text,
    distribution: text,
    code_postal: text,
    commune: text,
  })
  .nullish();

function associationAddress(address: z.output<typeof associationAddressSchema>): PostalAddress | null {
  if (!address) return null;
  const way = joinParts([address.numero_voie, address.type_voie, address.libelle_voie]);
  const street = joinParts([way, address.complement, address.distribution], ', ');
  return toAddress({
    street,
    postalCode: address.code_postal,
    city: address.commune,
    // the RNA only registers associations in France and gives no country
    country: street !== null || address.code_postal !== null ? 'FRANCE' : null,
  });
}

const SIREN = /^\d{9}$/;
const SIRET = /^\d{14}$/;

const associationAnswerSchema = z.object({
  data: z.object({
    rna: text,
    siren: text,
    nom: text,
    sigle: text,
    siret_siege: text,
    forme_juridique: codeLibelle,
    regime: text,
    reconnue_utilite_publique: flag,
    active: flag,
    date_creation: isoDate,
    date_dissolution: isoDate,
    adresse_siege: associationAddressSchema,
    activites: z
      .object({
        objet: text,
        activite_principale: codeLibelle,
        tranche_effectif: z.object({ code: text, libelle: text }).nullish(),
        economie_sociale_et_solidaire: flag,
      })
      .nullish(),
    etablissements: list(
      z.object({
        siret: text,
        actif: flag,
        siege: flag,
        nom: text,
        adresse: associationAddressSchema,
        activite_principale: codeLibelle,
      }),
    ),
  }),
});

export function normalizeAssociation(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, associationAnswerSchema, payload);
  const requested = identifierParts(identifier).siren;
  const siren = data.siren !== null && SIREN.test(data.siren) ? data.siren : SIREN.test(requested) ? requested : null;
  const name = data.nom ?? data.sigle;
  const administrativeStatus = data.active === null ? 'unknown' : data.active ? 'active' : 'ceased';
  const activity = data.activites?.activite_principale ?? null;
  const company: CompanyRecord | null =
    siren === null
      ? null
      : {
          siren,
          name,
          legalForm: data.forme_juridique,
          activity,
          administrativeStatus,
          ceasedOn: administrativeStatus === 'active' ? null : data.date_dissolution,
          diffusion: 'unknown',
          createdOn: data.date_creation,
          headOfficeSiret: data.siret_siege !== null && SIRET.test(data.siret_siege) ? data.siret_siege : null,
          category: null,
        };

  const listed = data.etablissements.find((e) => e.siege === true && e.siret !== null && SIRET.test(e.siret));
  const headOfficeSiret = listed?.siret ?? company?.headOfficeSiret ?? null;
  let establishment: EstablishmentRecord | null = null;
  if (headOfficeSiret !== null) {
    const status = listed?.actif ?? data.active;
    establishment = {
      siret: headOfficeSiret,
      siren: headOfficeSiret.slice(0, 9),
      name: listed?.nom ?? name,
      isHeadOffice: true,
      address: associationAddress(listed?.adresse ?? null) ?? associationAddress(data.adresse_siege),
      activity: listed?.activite_principale ?? activity,
      administrativeStatus: status === null ? 'unknown' : status ? 'active' : 'ceased',
      closedOn: null,
      diffusion: 'unknown',
    };
  }
  return answer({
    company,
    establishment,
    facts: {
      rna: data.rna,
      // without a company record, the name would be lost
      association_name: company === null ? name : null,
      acronym: data.sigle !== null && data.sigle !== data.nom ? data.sigle : null,
      association_regime: data.regime,
      public_utility: yesNo(data.reconnue_utilite_publique),
      association_purpose: data.activites?.objet ?? null,
      workforce: data.activites?.tranche_effectif?.libelle ?? null,
      social_economy: yesNo(data.activites?.economie_sociale_et_solidaire ?? null),
      dissolved_on: data.date_dissolution,
    },
  });
}
