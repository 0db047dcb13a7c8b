// What a refresh found changed, compared with what the register knew: a company ceased, a name or
// an address changed, URSSAF refused its attestation, an attestation expired or was renewed, a new
// establishment appeared (a new head office). Pure comparisons of before/after records, plus the
// sweep that finds attestations that lapsed since the last run. French descriptions go to the
// report, the app and the notification.
//
// "An absence of yes does not mean no": only an explicit refusal is reported as a refusal; a 404 or
// a failure never produces a change (the register keeps its last good data).
import type { AttestationKind, AttestationRecord, CompanyRecord, EstablishmentRecord } from '../../common/company-records';
import { ENDPOINTS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import { frenchIsoDate } from './french-format';

export type ChangeKind =
  | 'company_ceased'
  | 'company_name_changed'
  | 'address_changed'
  | 'establishment_closed'
  | 'new_establishment'
  | 'urssaf_refused'
  | 'attestation_expired'
  | 'attestation_renewed';

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'company_ceased',
  'company_name_changed',
  'address_changed',
  'establishment_closed',
  'new_establishment',
  'urssaf_refused',
  'attestation_expired',
  'attestation_renewed',
];

/** Singular and plural, for the one-line summary. */
export const CHANGE_LABELS: Record<ChangeKind, [string, string]> = {
  company_ceased: ['entreprise cessée', 'entreprises cessées'],
  company_name_changed: ['dénomination modifiée', 'dénominations modifiées'],
  address_changed: ['adresse modifiée', 'adresses modifiées'],
  establishment_closed: ['établissement fermé', 'établissements fermés'],
  new_establishment: ['nouvel établissement', 'nouveaux établissements'],
  urssaf_refused: ['refus URSSAF', 'refus URSSAF'],
  attestation_expired: ['attestation expirée', 'attestations expirées'],
  attestation_renewed: ['attestation renouvelée', 'attestations renouvelées'],
};

export interface DetectedChange {
  kind: ChangeKind;
  siren: string;
  siret: string | null;
  /** French, without the supplier's name (the report adds it). */
  description: string;
  before: string | null;
  after: string | null;
}

/** The columns of the latest company snapshot. */
export interface CompanyBefore {
  name: string | null;
  administrativeStatus: string | null;
  ceasedOn: string | null;
  /** Head office SIRET, read back from the snapshot's normalized copy when known. */
  headOfficeSiret: string | null;
}

export interface EstablishmentBefore {
  siret: string;
  address: string | null;
  postalCode: string | null;
  city: string | null;
  administrativeStatus: string | null;
}

export interface AttestationBefore {
  status: string;
  validUntil: string | null;
  periodAnalyzed: string | null;
}

const KIND_NAMES: Partial<Record<AttestationKind, string>> = {
  urssaf_vigilance: 'Attestation de vigilance (URSSAF)',
  dgfip_fiscale: 'Attestation fiscale (DGFIP)',
};

function attestationName(kind: AttestationKind, endpoint: EndpointId): string {
  return KIND_NAMES[kind] ?? ENDPOINTS[endpoint].label;
}

function same(a: string | null, b: string | null): boolean {
  const fold = (value: string | null) => (value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleUpperCase('fr-FR');
  return fold(a) === fold(b);
}

export function companyChanges(before: CompanyBefore | null, after: CompanyRecord): DetectedChange[] {
  const changes: DetectedChange[] = [];
  const wasCeased = before?.administrativeStatus === 'ceased';
  // a ceased company is news even on first sight: the agent must know before the next order
  if (after.administrativeStatus === 'ceased' && !wasCeased) {
    changes.push({
      kind: 'company_ceased',
      siren: after.siren,
      siret: null,
      description: after.ceasedOn ? `Entreprise cessée le ${frenchIsoDate(after.ceasedOn)}` : 'Entreprise cessée',
      before: before?.administrativeStatus ?? null,
      after: 'ceased',
    });
  }
  if (before && before.name !== null && after.name !== null && !same(before.name, after.name)) {
    changes.push({
      kind: 'company_name_changed',
      siren: after.siren,
      siret: null,
      description: `Dénomination modifiée : « ${before.name} » devient « ${after.name} »`,
      before: before.name,
      after: after.name,
    });
  }
  if (before && before.headOfficeSiret !== null && after.headOfficeSiret !== null && before.headOfficeSiret !== after.headOfficeSiret) {
    changes.push(newHeadOffice(after.siren, before.headOfficeSiret, after.headOfficeSiret));
  }
  return changes;
}

function newHeadOffice(siren: string, before: string, after: string): DetectedChange {
  return {
    kind: 'new_establishment',
    siren,
    siret: after,
    description: `Nouvel établissement siège : SIRET ${after} (auparavant ${before})`,
    before,
    after,
  };
}

export function addressLine(address: EstablishmentRecord['address']): { street: string | null; postalCode: string | null; city: string | null } {
  return { street: address?.street ?? null, postalCode: address?.postalCode ?? null, city: address?.city ?? null };
}

function formatAddress(street: string | null, postalCode: string | null, city: string | null): string {
  return [street, [postalCode, city].filter(Boolean).join(' ')].filter((part) => part !== null && part !== '').join(', ');
}

/**
 * `before` is the latest snapshot of the same establishment; for a head-office call (SIREN only),
 * the latest head office of the company, which may be another SIRET: then it is a new establishment.
 */
export function establishmentChanges(before: EstablishmentBefore | null, after: EstablishmentRecord): DetectedChange[] {
  if (!before) return [];
  const changes: DetectedChange[] = [];
  if (before.siret !== after.siret) {
    changes.push(newHeadOffice(after.siren, before.siret, after.siret));
  }
  const next = addressLine(after.address);
  if (after.address !== null && (!same(before.address, next.street) || !same(before.postalCode, next.postalCode) || !same(before.city, next.city))) {
    const was = formatAddress(before.address, before.postalCode, before.city);
    const now = formatAddress(next.street, next.postalCode, next.city);
    changes.push({
      kind: 'address_changed',
      siren: after.siren,
      siret: after.siret,
      description: `Adresse modifiée : « ${was} » devient « ${now} »`,
      before: was,
      after: now,
    });
  }
  if (before.siret === after.siret && after.administrativeStatus === 'ceased' && before.administrativeStatus !== 'ceased') {
    changes.push({
      kind: 'establishment_closed',
      siren: after.siren,
      siret: after.siret,
      description: after.closedOn ? `Établissement ${after.siret} fermé le ${frenchIsoDate(after.closedOn)}` : `Établissement ${after.siret} fermé`,
      before: before.administrativeStatus,
      after: 'ceased',
    });
  }
  return changes;
}

/** `today` is the Paris calendar day (YYYY-MM-DD) of the refresh. */
export function attestationChanges(
  endpoint: EndpointId,
  before: AttestationBefore | null,
  after: AttestationRecord,
  today: string,
): DetectedChange[] {
  const name = attestationName(after.kind, endpoint);
  const changes: DetectedChange[] = [];
  if (after.status === 'refused') {
    // only the explicit "refus_de_delivrance" is a refusal; reported when it is new
    if (before?.status !== 'refused') {
      changes.push({
        kind: 'urssaf_refused',
        siren: after.siren,
        siret: after.siret,
        description:
          after.kind === 'urssaf_vigilance'
            ? 'URSSAF refuse de délivrer l’attestation de vigilance : l’entreprise n’est pas à jour de ses obligations sociales'
            : `${name} : refus de délivrance`,
        before: before?.status ?? null,
        after: 'refused',
      });
    }
    return changes;
  }
  if (after.status !== 'delivered' || !before) return changes;
  if (after.validUntil !== null && after.validUntil < today) {
    // the provider still serves an attestation that is already over: it lapsed
    if (before.validUntil === null || before.validUntil >= today || before.status !== 'delivered') {
      changes.push(expired(endpoint, after.kind, after.siren, after.siret, after.validUntil));
    }
    return changes;
  }
  const renewedByDate = after.validUntil !== null && (before.validUntil === null || after.validUntil > before.validUntil);
  const renewedByPeriod = after.periodAnalyzed !== null && (before.periodAnalyzed === null || after.periodAnalyzed > before.periodAnalyzed);
  if (renewedByDate || renewedByPeriod || before.status !== 'delivered') {
    const detail = after.validUntil
      ? `valable jusqu’au ${frenchIsoDate(after.validUntil)}`
      : after.periodAnalyzed
        ? `période analysée au ${frenchIsoDate(after.periodAnalyzed)}`
        : 'nouvelle attestation délivrée';
    changes.push({
      kind: 'attestation_renewed',
      siren: after.siren,
      siret: after.siret,
      description: `${name} renouvelée : ${detail}`,
      before: before.validUntil ?? before.periodAnalyzed ?? before.status,
      after: after.validUntil ?? after.periodAnalyzed ?? after.status,
    });
  }
  return changes;
}

function expired(endpoint: EndpointId, kind: AttestationKind, siren: string, siret: string | null, validUntil: string): DetectedChange {
  return {
    kind: 'attestation_expired',
    siren,
    siret,
    description: `${attestationName(kind, endpoint)} expirée le ${frenchIsoDate(validUntil)}`,
    before: validUntil,
    after: null,
  };
}

/**
 * Attestations of active suppliers whose latest record lapsed in [sinceDay, today): expired and not
 * renewed (a failed call, a refusal, an outage). Days are Paris calendar days, YYYY-MM-DD.
 */
export function lapsedAttestations(db: VigieDatabase, sinceDay: string | null, today: string): DetectedChange[] {
  const rows = db
    .prepare<[string, string], { endpoint: EndpointId; kind: AttestationKind; siren: string; siret: string | null; valid_until: string }>(
      `SELECT a.endpoint, a.kind, a.siren, a.siret, a.valid_until FROM (
         SELECT endpoint, kind, siren, siret, status, valid_until, max(id) AS latest
         FROM attestations GROUP BY endpoint, coalesce(siret, siren)
       ) a
       WHERE a.status = 'delivered' AND a.valid_until IS NOT NULL AND a.valid_until < ? AND a.valid_until >= ?
         AND EXISTS (SELECT 1 FROM suppliers s WHERE s.siren = a.siren AND s.active = 1)
       ORDER BY a.siren, a.endpoint`,
    )
    .all(today, sinceDay ?? '0000-00-00');
  return rows.map((row) => expired(row.endpoint, row.kind, row.siren, row.siret, row.valid_until));
}
