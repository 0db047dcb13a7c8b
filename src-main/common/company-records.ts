// What Vigie keeps from API Entreprise answers, whatever the endpoint: the normalisers turn each
// payload into these records (raw JSON kept beside them), the register stores them, the renderer
// shows them.

export type AdministrativeStatus = 'active' | 'ceased' | 'unknown';

/** INSEE's `status_diffusion`: partially diffusible companies have protected fields. */
export type DiffusionStatus = 'diffusible' | 'partiellement_diffusible' | 'non_diffusible' | 'unknown';

export interface CodeLabel {
  code: string | null;
  label: string | null;
}

export interface PostalAddress {
  /** One line as printed on an envelope, without postal code and city. */
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

export interface CompanyRecord {
  siren: string;
  name: string | null;
  legalForm: CodeLabel | null;
  activity: CodeLabel | null;
  administrativeStatus: AdministrativeStatus;
  ceasedOn: string | null;
  diffusion: DiffusionStatus;
  createdOn: string | null;
  headOfficeSiret: string | null;
  category: string | null;
}

export interface EstablishmentRecord {
  siret: string;
  siren: string;
  name: string | null;
  isHeadOffice: boolean | null;
  address: PostalAddress | null;
  activity: CodeLabel | null;
  administrativeStatus: AdministrativeStatus;
  closedOn: string | null;
  diffusion: DiffusionStatus;
}

export type AttestationKind =
  | 'urssaf_vigilance'
  | 'dgfip_fiscale'
  | 'rcs_extract'
  | 'rne_extract'
  | 'qualibat'
  | 'rge'
  | 'opqibi'
  | 'qualifelec'
  | 'qualiopi'
  | 'cnetp'
  | 'cibtp'
  | 'probtp_attestation'
  | 'probtp_conformite'
  | 'msa_conformite'
  | 'fntp_carte_pro';

/**
 * What the provider says. `refused` is only ever an explicit refusal (URSSAF's
 * `refus_de_delivrance`, a "non conforme" answer): a 404, a timeout or a missing document is an
 * error, never a refusal.
 */
export type AttestationStatus = 'delivered' | 'refused' | 'unknown';

export interface AttestationRecord {
  kind: AttestationKind;
  siren: string;
  siret: string | null;
  status: AttestationStatus;
  /** Provider's own wording of the status, when it gives one (French). */
  statusLabel: string | null;
  validFrom: string | null;
  validUntil: string | null;
  issuedOn: string | null;
  /** DGFIP: last day of the month the attestation covers. */
  periodAnalyzed: string | null;
  /** URSSAF: lets anyone check the attestation on the URSSAF site. */
  securityCode: string | null;
  documentUrl: string | null;
  documentUrlExpiresInSeconds: number | null;
  /** Certification names, numbers, domains: endpoint-specific, displayable text. */
  details: Record<string, string>;
}

export interface NormalizedAnswer {
  company: CompanyRecord | null;
  establishment: EstablishmentRecord | null;
  attestations: AttestationRecord[];
  /** Scalars worth showing that belong to no record above (VAT number, RNA, officers...). */
  facts: Record<string, string>;
}
