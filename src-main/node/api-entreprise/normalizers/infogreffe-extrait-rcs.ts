// Infogreffe extrait RCS (Kbis data), v3: `/v3/infogreffe/rcs/unites_legales/{siren}/extrait_kbis`.
// Identity and legal status from the trade register: a struck-off company (`date_radiation`)
// surfaces as ceased. The company record is partial (no diffusion status, no creation date: the
// registration date is not the creation date); INSEE remains the reference for those.
import { z } from 'zod';
import type { CompanyRecord, NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import {
  amount,
  answer,
  attestation,
  formatAmount,
  isoDate,
  joinParts,
  list,
  parsePayload,
  personName,
  sirenField,
  text,
  toCodeLabel,
} from './shared';

const officerSchema = z.object({
  type: text,
  fonction: text,
  nom: text,
  prenom: text,
  raison_sociale: text,
});

type Officer = z.output<typeof officerSchema>;

/** "PRÉSIDENT : Jean DUPONT", "COMMISSAIRE AUX COMPTES : MAZARS". */
export function officerLine(officer: Officer): string | null {
  const who = officer.raison_sociale ?? personName(officer.prenom, officer.nom);
  if (who === null) return officer.fonction;
  return officer.fonction ? `${officer.fonction} : ${who}` : who;
}

const kbisAnswerSchema = z.object({
  data: z.object({
    siren: sirenField,
    date_radiation: isoDate,
    date_extrait: isoDate,
    date_immatriculation: isoDate,
    mandataires_sociaux: list(officerSchema),
    observations: list(z.object({ numero: text, libelle: text, date: text })),
    nom_commercial: text,
    etablissement_principal: z.object({ activite: text, code_ape: text }).nullish(),
    capital: z.object({ montant: amount, devise: text, code_devise: text }).nullish(),
    greffe: z.object({ valeur: text, code: text }).nullish(),
    personne_physique: z.object({ nom: text, prenom: text }).nullish(),
    personne_morale: z
      .object({
        forme_juridique: z.object({ valeur: text, code: text }).nullish(),
        denomination: text,
        date_fin_de_vie: isoDate,
      })
      .nullish(),
  }),
});

export function normalizeInfogreffeExtraitRcs(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, kbisAnswerSchema, payload);
  const pm = data.personne_morale;
  const pp = data.personne_physique;
  const name = pm?.denomination ?? (pp ? personName(pp.prenom, pp.nom) : null) ?? data.nom_commercial;
  const struckOff = data.date_radiation !== null;
  const company: CompanyRecord = {
    siren: data.siren,
    name,
    legalForm: toCodeLabel(pm?.forme_juridique?.code ?? null, pm?.forme_juridique?.valeur ?? null),
    activity: toCodeLabel(data.etablissement_principal?.code_ape ?? null, null),
    administrativeStatus: struckOff ? 'ceased' : 'active',
    ceasedOn: data.date_radiation,
    diffusion: 'unknown',
    createdOn: null,
    headOfficeSiret: null,
    category: null,
  };
  const capital = formatAmount(data.capital?.montant ?? null, data.capital?.code_devise ?? data.capital?.devise ?? null);
  const greffe = joinParts([data.greffe?.valeur, data.greffe?.code ? `(${data.greffe.code})` : null]);
  const officers = data.mandataires_sociaux.map(officerLine).filter((line): line is string => line !== null);
  return answer({
    company,
    attestations: [
      attestation('rcs_extract', identifier, {
        status: 'delivered',
        statusLabel: struckOff ? 'Radiée du RCS' : 'Immatriculée au RCS',
        issuedOn: data.date_extrait,
        details: {
          Dénomination: name,
          'Forme juridique': pm?.forme_juridique?.valeur ?? null,
          Greffe: greffe,
          'Date d’immatriculation': data.date_immatriculation,
          'Date de radiation': data.date_radiation,
          'Nom commercial': data.nom_commercial,
          Activité: data.etablissement_principal?.activite ?? null,
          'Code APE': data.etablissement_principal?.code_ape ?? null,
          Capital: capital,
          'Date de fin de la personne morale': pm?.date_fin_de_vie ?? null,
          'Mandataires sociaux': officers.length > 0 ? officers.join('\n') : null,
          Observations: data.observations.length > 0 ? String(data.observations.length) : null,
        },
      }),
    ],
    facts: {
      trade_name: data.nom_commercial,
      registry_court: greffe,
      registered_on: data.date_immatriculation,
      struck_off_on: data.date_radiation,
      share_capital: capital,
      officers_count: String(data.mandataires_sociaux.length),
    },
  });
}
