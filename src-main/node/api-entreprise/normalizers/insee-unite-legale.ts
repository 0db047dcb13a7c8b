// INSEE Sirene v4, legal unit: `/v4/insee/sirene/unites_legales/{siren}` and its open-data twin
// `/diffusibles/{siren}`. The same legal-unit object is embedded in every establishment answer,
// so its schema and mapping live here.
//
// Partially diffusible units: the API already replaces protected values with "[ND]"; they are kept
// as given and the record's `diffusion` says `partiellement_diffusible`.
import { z } from 'zod';
import type { CodeLabel, CompanyRecord, NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import {
  answer,
  flag,
  isoDate,
  parsePayload,
  personName,
  sirenField,
  text,
  toAdministrativeStatus,
  toCodeLabel,
  toDiffusionStatus,
  yesNo,
  type Facts,
} from './shared';

const activitySchema = z.object({ code: text, libelle: text, nomenclature: text }).nullish();

/** The legal unit, as returned alone or embedded in an establishment (`data.unite_legale`). */
export const uniteLegaleSchema = z.object({
  siren: sirenField,
  rna: text,
  siret_siege_social: text,
  type: text,
  personne_morale_attributs: z.object({ raison_sociale: text, sigle: text }).nullish(),
  personne_physique_attributs: z
    .object({
      pseudonyme: text,
      prenom_usuel: text,
      prenom_1: text,
      nom_usage: text,
      nom_naissance: text,
    })
    .nullish(),
  categorie_entreprise: text,
  status_diffusion: text,
  diffusable_commercialement: flag,
  forme_juridique: z.object({ code: text, libelle: text }).nullish(),
  activite_principale: activitySchema,
  activite_principale_naf_rev2: activitySchema,
  tranche_effectif_salarie: z.object({ code: text, intitule: text }).nullish(),
  etat_administratif: text,
  economie_sociale_et_solidaire: flag,
  date_creation: isoDate,
  date_cessation: isoDate,
});

export type UniteLegale = z.output<typeof uniteLegaleSchema>;
type Activity = z.output<typeof activitySchema>;

/**
 * NAF rev. 2 when INSEE has it, else the activity in its original nomenclature (old units still
 * carry NAF 1993 codes, whose rev. 2 code is null).
 */
export function inseeActivity(primary: Activity, nafRev2: Activity): CodeLabel | null {
  if (nafRev2?.code) return toCodeLabel(nafRev2.code, nafRev2.libelle);
  if (primary?.code) return toCodeLabel(primary.code, primary.libelle);
  return null;
}

/** "Prénom NOM" for a natural person (usage name first), the company name otherwise. */
export function uniteLegaleName(unit: UniteLegale): string | null {
  const pm = unit.personne_morale_attributs;
  const pp = unit.personne_physique_attributs;
  const naturalPersonName = pp
    ? (personName(pp.prenom_usuel ?? pp.prenom_1, pp.nom_usage ?? pp.nom_naissance) ?? pp.pseudonyme)
    : null;
  const companyName = pm ? (pm.raison_sociale ?? pm.sigle) : null;
  if (unit.type === 'personne_physique') return naturalPersonName ?? companyName;
  return companyName ?? naturalPersonName;
}

export function companyFromUniteLegale(unit: UniteLegale): CompanyRecord {
  const administrativeStatus = toAdministrativeStatus(unit.etat_administratif);
  return {
    siren: unit.siren,
    name: uniteLegaleName(unit),
    legalForm: toCodeLabel(unit.forme_juridique?.code ?? null, unit.forme_juridique?.libelle ?? null),
    activity: inseeActivity(unit.activite_principale, unit.activite_principale_naf_rev2),
    administrativeStatus,
    // a cessation date on an active unit says nothing useful: shown only for ceased units
    ceasedOn: administrativeStatus === 'active' ? null : unit.date_cessation,
    diffusion: toDiffusionStatus(unit.status_diffusion),
    createdOn: unit.date_creation,
    headOfficeSiret: unit.siret_siege_social,
    category: unit.categorie_entreprise,
  };
}

const LEGAL_UNIT_TYPES = new Map<string, string>([
  ['personne_morale', 'Personne morale'],
  ['personne_physique', 'Personne physique (entrepreneur individuel)'],
]);

export function uniteLegaleFacts(unit: UniteLegale): Facts {
  return {
    rna: unit.rna,
    acronym: unit.personne_morale_attributs?.sigle ?? null,
    legal_unit_type: unit.type ? (LEGAL_UNIT_TYPES.get(unit.type) ?? unit.type) : null,
    workforce: unit.tranche_effectif_salarie?.intitule ?? null,
    social_economy: yesNo(unit.economie_sociale_et_solidaire),
    commercial_diffusion: yesNo(unit.diffusable_commercialement),
  };
}

const uniteLegaleAnswerSchema = z.object({
  data: uniteLegaleSchema,
  meta: z.object({ redirect_from_siren: text }).nullish(),
});

export function normalizeInseeUniteLegale(endpoint: EndpointId, payload: unknown): NormalizedAnswer {
  const { data, meta } = parsePayload(endpoint, uniteLegaleAnswerSchema, payload);
  return answer({
    company: companyFromUniteLegale(data),
    facts: { ...uniteLegaleFacts(data), redirected_from: meta?.redirect_from_siren ?? null },
  });
}
