// Everything the supplier screen shows, read in one place: identity, the latest company and
// establishment snapshots, attestations with their history, documents, the calls made for this
// supplier, and how fresh the data is.
import { attestationLabel } from '../../common/attestation-labels';
import type { SupplierDetail } from '../../common/ipc-contract';
import { ENDPOINTS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import { addDays, EXPIRING_WITHIN_DAYS } from './compliance';
import { SupplierRepository } from './supplier-repository';

interface AttestationRow {
  id: number;
  kind: string;
  endpoint: string;
  status: string;
  valid_from: string | null;
  valid_until: string | null;
  issued_on: string | null;
  period_analyzed: string | null;
  security_code: string | null;
  document_id: number | null;
  fetched_at: string;
  size_bytes: number | null;
  media_type: string | null;
}

export function attestationState(status: string, validUntil: string | null, today: string): SupplierDetail['attestations'][number]['state'] {
  if (status === 'refused') return 'refus';
  if (status !== 'delivered') return 'inconnue';
  if (validUntil === null) return 'a_jour';
  if (validUntil < today) return 'expiree';
  return validUntil <= addDays(today, EXPIRING_WITHIN_DAYS) ? 'expire_bientot' : 'a_jour';
}

export function readSupplierDetail(db: VigieDatabase, id: number, today: string): SupplierDetail | null {
  const supplier = new SupplierRepository(db).get(id);
  if (!supplier) return null;
  const company = db
    .prepare(
      `SELECT name, legal_form, activity_code, administrative_status, ceased_on, diffusion_status, fetched_at
       FROM company_snapshots WHERE siren = ? ORDER BY fetched_at DESC, id DESC LIMIT 1`,
    )
    .get(supplier.siren) as
    | { name: string | null; legal_form: string | null; activity_code: string | null; administrative_status: string | null; ceased_on: string | null; diffusion_status: string | null; fetched_at: string }
    | undefined;
  const establishments = db
    .prepare(
      `SELECT e.siret, e.name, e.is_headquarters, e.address, e.postal_code, e.city, e.administrative_status, e.closed_on, e.fetched_at
       FROM establishment_snapshots e
       WHERE e.siren = ? AND e.id = (SELECT max(id) FROM establishment_snapshots WHERE siret = e.siret)
       ORDER BY e.is_headquarters DESC, e.siret`,
    )
    .all(supplier.siren) as {
    siret: string;
    name: string | null;
    is_headquarters: number | null;
    address: string | null;
    postal_code: string | null;
    city: string | null;
    administrative_status: string | null;
    closed_on: string | null;
    fetched_at: string;
  }[];
  const attestations = db
    .prepare(
      `SELECT a.id, a.kind, a.endpoint, a.status, a.valid_from, a.valid_until, a.issued_on, a.period_analyzed, a.security_code,
              a.document_id, a.fetched_at, d.size_bytes, d.media_type
       FROM attestations a LEFT JOIN documents d ON d.id = a.document_id
       WHERE a.siren = ? AND (a.siret IS NULL OR a.siret = ? OR ? IS NULL)
       ORDER BY a.kind, a.fetched_at DESC, a.id DESC`,
    )
    .all(supplier.siren, supplier.siret, supplier.siret) as AttestationRow[];
  const latestByKind = new Set<string>();
  const calls = db
    .prepare(
      `SELECT at, endpoint, outcome, http_status, duration_ms, context, object FROM call_journal
       WHERE supplier_id = ? OR identifier IN (?, ?) ORDER BY at DESC, id DESC LIMIT 50`,
    )
    .all(supplier.id, supplier.siren, supplier.siret ?? supplier.siren) as {
    at: string;
    endpoint: string;
    outcome: string;
    http_status: number | null;
    duration_ms: number | null;
    context: string;
    object: string;
  }[];
  return {
    supplier,
    company: company
      ? {
          name: company.name,
          legalForm: company.legal_form,
          activityCode: company.activity_code,
          administrativeStatus: company.administrative_status,
          ceasedOn: company.ceased_on,
          diffusion: company.diffusion_status,
          fetchedAt: company.fetched_at,
        }
      : null,
    establishments: establishments.map((e) => ({
      siret: e.siret,
      name: e.name,
      isHeadOffice: e.is_headquarters === 1,
      street: e.address,
      postalCode: e.postal_code,
      city: e.city,
      administrativeStatus: e.administrative_status,
      closedOn: e.closed_on,
      fetchedAt: e.fetched_at,
    })),
    attestations: attestations.map((a) => {
      const latest = !latestByKind.has(a.kind);
      latestByKind.add(a.kind);
      return {
        id: a.id,
        kind: a.kind,
        label: attestationLabel(a.kind),
        latest,
        status: a.status,
        state: attestationState(a.status, a.valid_until, today),
        validFrom: a.valid_from,
        validUntil: a.valid_until,
        issuedOn: a.issued_on,
        periodAnalyzed: a.period_analyzed,
        securityCode: a.security_code,
        document: a.document_id !== null ? { id: a.document_id, sizeBytes: a.size_bytes ?? 0, mediaType: a.media_type ?? 'application/pdf' } : null,
        fetchedAt: a.fetched_at,
      };
    }),
    calls: calls.map((c) => ({
      at: c.at,
      endpoint: c.endpoint,
      label: ENDPOINTS[c.endpoint as EndpointId]?.label ?? c.endpoint,
      outcome: c.outcome,
      httpStatus: c.http_status,
      durationMs: c.duration_ms,
      context: c.context,
      object: c.object,
    })),
    freshness: null,
  };
}
