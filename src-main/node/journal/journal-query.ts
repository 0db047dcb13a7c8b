// The call journal as agents and auditors read it: filtered by date, supplier, endpoint and
// outcome, paged, and exported to CSV (French Excel: UTF-8 BOM, `;`, formula guard).
import type { JournalPage, JournalQuery } from '../../common/ipc-contract';
import { ENDPOINTS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import { writeCsvFileAtomically } from '../csv/csv-file-writer';
import type { VigieDatabase } from '../db/database';

interface JournalRow {
  id: number;
  at: string;
  endpoint: string;
  supplier_id: number | null;
  supplier_name: string | null;
  identifier: string | null;
  recipient: string;
  context: string;
  object: string;
  http_status: number | null;
  outcome: string;
  error_code: string | null;
  duration_ms: number | null;
}

function where(query: JournalQuery): { sql: string; params: Record<string, string | number> } {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.from) {
    clauses.push('j.at >= @from');
    params.from = query.from;
  }
  if (query.to) {
    // an end date includes the whole day
    clauses.push('j.at < @to');
    params.to = query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to;
  }
  if (query.supplierId !== undefined) {
    clauses.push('j.supplier_id = @supplierId');
    params.supplierId = query.supplierId;
  }
  if (query.endpoint) {
    clauses.push('j.endpoint = @endpoint');
    params.endpoint = query.endpoint;
  }
  if (query.outcome === 'ok') clauses.push("j.outcome = 'ok'");
  else if (query.outcome === 'error') clauses.push("j.outcome <> 'ok'");
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const SELECT = `SELECT j.*, s.name AS supplier_name FROM call_journal j LEFT JOIN suppliers s ON s.id = j.supplier_id`;

function toView(row: JournalRow): JournalPage['rows'][number] {
  return {
    id: row.id,
    at: row.at,
    endpoint: row.endpoint,
    endpointLabel: ENDPOINTS[row.endpoint as EndpointId]?.label ?? row.endpoint,
    supplierId: row.supplier_id,
    supplierName: row.supplier_name,
    identifier: row.identifier,
    context: row.context,
    object: row.object,
    httpStatus: row.http_status,
    outcome: row.outcome,
    errorCode: row.error_code,
    durationMs: row.duration_ms,
  };
}

export function searchJournal(db: VigieDatabase, query: JournalQuery): JournalPage {
  const { sql, params } = where(query);
  const total = (db.prepare(`SELECT count(*) AS n FROM call_journal j ${sql}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`${SELECT} ${sql} ORDER BY j.at DESC, j.id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: query.limit ?? 100, offset: query.offset ?? 0 }) as JournalRow[];
  return { total, rows: rows.map(toView) };
}

const HEADERS = ['Date', 'Point d’accès', 'Fournisseur', 'SIREN/SIRET', 'Destinataire', 'Cadre', 'Objet', 'Statut HTTP', 'Résultat', 'Code erreur', 'Durée (ms)'];

/** Writes the filtered journal for an audit, in the same CSV format as the register export. */
export async function exportJournalCsv(db: VigieDatabase, path: string, query: JournalQuery): Promise<number> {
  const { sql, params } = where(query);
  let count = 0;
  await writeCsvFileAtomically(path, HEADERS, async (writeRows) => {
    let lastId = Number.MAX_SAFE_INTEGER;
    // keyset pages: the connection stays free for the UI between pages
    for (;;) {
      const rows = db
        .prepare(`${SELECT} ${sql ? `${sql} AND` : 'WHERE'} j.id < @lastId ORDER BY j.id DESC LIMIT 1000`)
        .all({ ...params, lastId }) as JournalRow[];
      if (rows.length === 0) break;
      await writeRows(
        rows.map((r) => [
          r.at,
          ENDPOINTS[r.endpoint as EndpointId]?.label ?? r.endpoint,
          r.supplier_name ?? '',
          r.identifier ?? '',
          r.recipient,
          r.context,
          r.object,
          r.http_status === null ? '' : String(r.http_status),
          r.outcome,
          r.error_code ?? '',
          r.duration_ms === null ? '' : String(r.duration_ms),
        ]),
      );
      count += rows.length;
      lastId = (rows.at(-1) as JournalRow).id;
    }
  });
  return count;
}
