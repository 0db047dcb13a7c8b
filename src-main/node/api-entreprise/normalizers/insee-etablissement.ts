// INSEE Sirene v4, establishment: `/v4/insee/sirene/etablissements/{siret}`, the head office of a
// legal unit `/v4/insee/sirene/unites_legales/{siren}/siege_social`, and their open-data twins
// (`/diffusibles/`). All four answer the same establishment object, with the legal unit embedded.
import { z } from 'zod';
import type { EstablishmentRecord, NormalizedAnswer, PostalAddress } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { companyFromUniteLegale, inseeActivity, uniteLegaleFacts, uniteLegaleName, uniteLegaleSchema } from './insee-unite-legale';
import {
  answer,
  flag,
  isoDate,
  joinParts,
  parsePayload,
  siretField,
  text,
  toAddress,
  toAdministrativeStatus,
  toDiffusionStatus,
} from './shared';

const activitySchema = z.object({ code: text, libelle: text, nomenclature: text }).nullish();

export const inseeAddressSchema = z.object({
  numero_voie: text,
  indice_repetition_voie: text,
  type_voie: text,
  libelle_voie: text,
  complement_adresse: text,
  distribution_speciale: text,
  code_postal: text,
  libelle_commune: text,
  libelle_commune_etranger: text,
  code_pays_etranger: text,
  libelle_pays_etranger: text,
  acheminement_postal: z.object({ l4: text }).nullish(),
});

type InseeAddress = z.output<typeof inseeAddressSchema>;

/**
 * One street line ("22 bis RUE DE LA PAIX, ZAE SAINT GUENAULT, CS 72809"), the postal code and
 * the city; foreign addresses take INSEE's foreign city and country.
 */
export function inseeAddress(address: InseeAddress): PostalAddress | null {
  const way = joinParts([joinParts([address.numero_voie, address.indice_repetition_voie]), address.type_voie, address.libelle_voie]);
  // INSEE's own postal line 4 is the street line when the parts are missing
  const street = joinParts([way ?? address.acheminement_postal?.l4 ?? null, address.complement_adresse, address.distribution_speciale], ', ');
  const foreign = address.code_pays_etranger !== null || address.libelle_pays_etranger !== null;
  return toAddress({
    street,
    postalCode: address.code_postal,
    city: foreign ? (address.libelle_commune_etranger ?? address.libelle_commune) : address.libelle_commune,
    country: foreign ? address.libelle_pays_etranger : street !== null || address.code_postal !== null ? 'FRANCE' : null,
  });
}

const etablissementAnswerSchema = z.object({
  data: z.object({
    siret: siretField,
    siege_social: flag,
    etat_administratif: text,
    date_fermeture: isoDate,
    enseigne: text,
    status_diffusion: text,
    activite_principale: activitySchema,
    activite_principale_naf_rev2: activitySchema,
    tranche_effectif_salarie: z.object({ code: text, intitule: text }).nullish(),
    date_creation: isoDate,
    unite_legale: uniteLegaleSchema.nullish(),
    adresse: inseeAddressSchema.nullish(),
  }),
  meta: z.object({ redirect_from_siret: text }).nullish(),
});

export function normalizeInseeEtablissement(endpoint: EndpointId, payload: unknown): NormalizedAnswer {
  const { data, meta } = parsePayload(endpoint, etablissementAnswerSchema, payload);
  const unit = data.unite_legale ?? null;
  const administrativeStatus = toAdministrativeStatus(data.etat_administratif);
  const establishment: EstablishmentRecord = {
    siret: data.siret,
    siren: data.siret.slice(0, 9),
    name: data.enseigne ?? (unit ? uniteLegaleName(unit) : null),
    isHeadOffice: data.siege_social,
    address: data.adresse ? inseeAddress(data.adresse) : null,
    activity: inseeActivity(data.activite_principale, data.activite_principale_naf_rev2),
    administrativeStatus,
    // a closing date on an open establishment says nothing useful: shown only once closed
    closedOn: administrativeStatus === 'active' ? null : data.date_fermeture,
    diffusion: toDiffusionStatus(data.status_diffusion),
  };
  return answer({
    company: unit ? companyFromUniteLegale(unit) : null,
    establishment,
    facts: {
      ...(unit ? uniteLegaleFacts(unit) : {}),
      establishment_workforce: data.tranche_effectif_salarie?.intitule ?? null,
      redirected_from: meta?.redirect_from_siret ?? null,
    },
  });
}
