// INSEE Sirene v4 answers: unité légale, établissement, siège social, each in a protected version
// (full data, whatever the diffusion status) and an open-data one ("diffusibles") where the fields
// of a partially diffusible company are replaced by "[ND]", as the contract's field descriptions
// say (openapi.yaml, /v4/insee/sirene/.../diffusibles/...).
import { parisMidnightEpochSeconds } from '../paris-calendar';
import type { SyntheticCompany, SyntheticEstablishment } from '../synthetic-companies';
import { headOffice, streetLine, type PayloadContext } from './payload-context';

export const MASKED = '[ND]';

interface Visibility {
  /** Open-data endpoint and partially diffusible company: protected fields become "[ND]". */
  masked: boolean;
}

function epoch(iso: string | null): number | null {
  return iso === null ? null : parisMidnightEpochSeconds(iso);
}

function activity(company: SyntheticCompany): { code: string; libelle: string; nomenclature: string } {
  return { code: company.activity.code, libelle: company.activity.label, nomenclature: 'NAFRev2' };
}

function headcount(band: SyntheticEstablishment['headcount'], year: string | null) {
  return {
    code: band.code,
    intitule: band.label,
    date_reference: band.code === 'NN' ? null : year,
    de: band.from,
    a: band.to,
  };
}

function isMasked(company: SyntheticCompany, visibility: Visibility): boolean {
  return visibility.masked && company.diffusion === 'partiellement_diffusible';
}

function moralPersonAttributes(company: SyntheticCompany, visibility: Visibility) {
  if (company.type !== 'personne_morale') return { raison_sociale: null, sigle: null };
  return { raison_sociale: company.name, sigle: isMasked(company, visibility) ? MASKED : company.sigle };
}

function physicalPersonAttributes(company: SyntheticCompany, visibility: Visibility) {
  const person = company.person;
  if (company.type !== 'personne_physique' || !person) {
    return {
      pseudonyme: null,
      prenom_usuel: null,
      prenom_1: null,
      prenom_2: null,
      prenom_3: null,
      prenom_4: null,
      nom_usage: null,
      nom_naissance: null,
      sexe: null,
    };
  }
  const hide = <T>(value: T): T | typeof MASKED => (isMasked(company, visibility) ? MASKED : value);
  return {
    pseudonyme: hide(null),
    prenom_usuel: hide(person.firstNames[0] ?? null),
    prenom_1: hide(person.firstNames[0] ?? null),
    prenom_2: hide(person.firstNames[1] ?? null),
    prenom_3: hide(null),
    prenom_4: hide(null),
    nom_usage: hide(null),
    nom_naissance: hide(person.lastName),
    sexe: hide(person.sex),
  };
}

/** The fields an unité légale shares with the `unite_legale` object nested in an établissement. */
function legalUnitCore(company: SyntheticCompany, visibility: Visibility) {
  return {
    siren: company.siren,
    rna: company.rna,
    siret_siege_social: headOffice(company).siret,
    type: company.type,
    personne_morale_attributs: moralPersonAttributes(company, visibility),
    personne_physique_attributs: physicalPersonAttributes(company, visibility),
    categorie_entreprise: company.category,
    status_diffusion: company.diffusion,
    diffusable_commercialement: company.diffusion === 'diffusible',
    forme_juridique: { code: company.legalForm.code, libelle: company.legalForm.label },
    activite_principale: activity(company),
    tranche_effectif_salarie: headcount(company.headcount, '2023'),
    etat_administratif: company.ceasedOn === null ? 'A' : 'C',
    economie_sociale_et_solidaire: company.socialEconomy,
    date_creation: epoch(company.createdOn),
    activite_principale_naf_rev2: activity(company),
  };
}

function lastUpdate(company: SyntheticCompany): number {
  const dates = [company.createdOn, company.ceasedOn, ...company.establishments.map((e) => e.closedOn)].filter(
    (d): d is string => d !== null,
  );
  dates.sort();
  return parisMidnightEpochSeconds(dates[dates.length - 1] ?? company.createdOn);
}

export function uniteLegale(ctx: PayloadContext, company: SyntheticCompany, openData: boolean): unknown {
  const visibility = { masked: openData };
  const head = headOffice(company);
  const establishmentsPath = openData ? '/v4/insee/sirene/etablissements/diffusibles' : '/v4/insee/sirene/etablissements';
  const addressPath = openData ? '/v3/insee/sirene/etablissements/diffusibles' : '/v3/insee/sirene/etablissements';
  return {
    data: { ...legalUnitCore(company, visibility), date_cessation: epoch(company.ceasedOn) },
    links: {
      siege_social: `${ctx.baseUrl}${establishmentsPath}/${head.siret}`,
      siege_social_adresse: `${ctx.baseUrl}${addressPath}/${head.siret}/adresse`,
    },
    meta: { date_derniere_mise_a_jour: lastUpdate(company), redirect_from_siren: null },
  };
}

function address(company: SyntheticCompany, e: SyntheticEstablishment, visibility: Visibility) {
  const masked = isMasked(company, visibility);
  const hide = <T>(value: T): T | typeof MASKED => (masked ? MASKED : value);
  const a = e.address;
  const person = company.person;
  return {
    numero_voie: hide(a.number),
    indice_repetition_voie: hide(a.repetition),
    type_voie: hide(a.streetType),
    libelle_voie: hide(a.streetName),
    complement_adresse: hide(a.complement),
    code_commune: a.town.inseeCode,
    code_postal: hide(a.town.postalCode),
    distribution_speciale: hide(null),
    code_cedex: hide(null),
    libelle_cedex: hide(null),
    libelle_commune: a.town.name,
    libelle_commune_etranger: null,
    code_pays_etranger: null,
    libelle_pays_etranger: null,
    status_diffusion: company.diffusion,
    acheminement_postal: {
      l1: hide(company.type === 'personne_morale' ? company.name : ''),
      l2: hide(person ? `${person.lastName} ${person.firstNames[0] ?? ''}`.trim() : ''),
      l3: hide(a.complement ?? ''),
      l4: hide(streetLine(e)),
      l5: hide(''),
      l6: hide(`${a.town.postalCode} ${a.town.name}`),
      l7: 'FRANCE',
    },
  };
}

export function etablissement(
  ctx: PayloadContext,
  company: SyntheticCompany,
  e: SyntheticEstablishment,
  openData: boolean,
): unknown {
  const visibility = { masked: openData };
  const legalUnitPath = openData ? '/v4/insee/sirene/unites_legales/diffusibles' : '/v4/insee/sirene/unites_legales';
  return {
    data: {
      siret: e.siret,
      siege_social: e.headOffice,
      etat_administratif: e.active ? 'A' : 'F',
      date_fermeture: epoch(e.closedOn),
      activite_principale: activity(company),
      tranche_effectif_salarie: headcount(e.headcount, '2023'),
      status_diffusion: company.diffusion,
      diffusable_commercialement: company.diffusion === 'diffusible',
      enseigne: isMasked(company, visibility) ? MASKED : e.enseigne,
      unite_legale: legalUnitCore(company, visibility),
      adresse: address(company, e, visibility),
      date_creation: epoch(e.createdOn),
      activite_principale_naf_rev2: activity(company),
    },
    links: { unite_legale: `${ctx.baseUrl}${legalUnitPath}/${company.siren}` },
    meta: { date_derniere_mise_a_jour: lastUpdate(company), redirect_from_siret: null },
  };
}
