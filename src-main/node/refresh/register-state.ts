// Reads, in a handful of queries, what the planner needs to know of every active supplier: its
// identifiers, whether its company ceased, and per endpoint the last final answer and the latest
// attestation. Inactive suppliers are not read: they are never refreshed.
import type { AttestationStatus } from '../../common/company-records';
import type { EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import { epochOf } from './french-format';
import { type EndpointHistory, REFRESHABLE_ENDPOINTS, type SupplierRefreshState } from './freshness-policy';

interface SupplierRow {
  id: number;
  siren: string;
  siret: string | null;
  name: string;
  created_at: string;
}

interface StatusRow {
  endpoint: string;
  identifier: string;
  last_checked_at: string | null;
  last_success_at: string | null;
}

interface AttestationRow {
  endpoint: string;
  identifier: string;
  status: string;
  valid_until: string | null;
  period_analyzed: string | null;
  fetched_at: string;
}

const ENDPOINT_SET: ReadonlySet<string> = new Set(REFRESHABLE_ENDPOINTS);

function asStatus(value: string): AttestationStatus {
  return value === 'delivered' || value === 'refused' ? value : 'unknown';
}

export function readRegisterStates(db: VigieDatabase, options: { supplierIds?: readonly number[] } = {}): SupplierRefreshState[] {
  const suppliers = db.prepare<[], SupplierRow>('SELECT id, siren, siret, name, created_at FROM suppliers WHERE active = 1 ORDER BY id').all();
  const wanted = options.supplierIds ? new Set(options.supplierIds) : null;

  const status = new Map<string, StatusRow>();
  for (const row of db.prepare<[], StatusRow>('SELECT endpoint, identifier, last_checked_at, last_success_at FROM refresh_status').iterate()) {
    status.set(`${row.endpoint}|${row.identifier}`, row);
  }

  // SQLite takes the bare columns from the row holding max(id): the latest attestation per call
  const attestations = new Map<string, AttestationRow>();
  const latestAttestations = db.prepare<[], AttestationRow>(
    `SELECT endpoint, coalesce(siret, siren) AS identifier, status, valid_until, period_analyzed, fetched_at, max(id) AS latest
     FROM attestations GROUP BY endpoint, coalesce(siret, siren)`,
  );
  for (const row of latestAttestations.iterate()) attestations.set(`${row.endpoint}|${row.identifier}`, row);

  const ceased = new Set<string>();
  const latestCompanies = db.prepare<[], { siren: string; administrative_status: string | null }>(
    'SELECT siren, administrative_status, max(id) AS latest FROM company_snapshots GROUP BY siren',
  );
  for (const row of latestCompanies.iterate()) if (row.administrative_status === 'ceased') ceased.add(row.siren);

  // every key a supplier may use: its SIREN and SIRET, for every endpoint seen
  const historyByIdentifier = new Map<string, Partial<Record<EndpointId, EndpointHistory>>>();
  const historyOf = (identifier: string) => {
    let history = historyByIdentifier.get(identifier);
    if (!history) {
      history = {};
      historyByIdentifier.set(identifier, history);
    }
    return history;
  };
  for (const row of status.values()) {
    if (!ENDPOINT_SET.has(row.endpoint)) continue;
    historyOf(row.identifier)[row.endpoint as EndpointId] = {
      lastCheckedAt: epochOf(row.last_checked_at),
      lastSuccessAt: epochOf(row.last_success_at),
      attestation: null,
    };
  }
  for (const row of attestations.values()) {
    if (!ENDPOINT_SET.has(row.endpoint)) continue;
    const history = historyOf(row.identifier);
    const endpoint = row.endpoint as EndpointId;
    // an attestation written without a status row (by another path) still counts as a check
    const entry = history[endpoint] ?? { lastCheckedAt: epochOf(row.fetched_at), lastSuccessAt: epochOf(row.fetched_at) };
    entry.attestation = { status: asStatus(row.status), validUntil: row.valid_until, periodAnalyzed: row.period_analyzed };
    history[endpoint] = entry;
  }

  const states: SupplierRefreshState[] = [];
  for (const supplier of suppliers) {
    if (wanted && !wanted.has(supplier.id)) continue;
    const bySiren = historyByIdentifier.get(supplier.siren) ?? {};
    const bySiret = supplier.siret ? (historyByIdentifier.get(supplier.siret) ?? {}) : {};
    states.push({
      supplierId: supplier.id,
      siren: supplier.siren,
      siret: supplier.siret,
      name: supplier.name,
      addedAt: epochOf(supplier.created_at),
      ceased: ceased.has(supplier.siren),
      // an endpoint is keyed by the identifier its call uses: SIREN-level and SIRET-level never collide
      history: { ...bySiren, ...bySiret },
    });
  }
  return states;
}
