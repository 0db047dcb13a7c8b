import { supplierQuerySchema, type SupplierPage, type SupplierQuery, type RegisterStats } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import { COMPLIANCE_SQL, type ComplianceParams } from './compliance';
import { rowToSupplier, SUPPLIER_COLUMNS, type SupplierRowShape } from './supplier-repository';

const SORT_SQL = {
  name: 's.sort_name',
  siren: 's.siren',
  city: 's.city COLLATE NOCASE',
  accountingCode: 's.accounting_code COLLATE NOCASE',
  updatedAt: 's.updated_at',
} as const;

/**
 * Turns what the user typed into an FTS5 expression: every word becomes a quoted prefix term,
 * so punctuation typed by the user can never be read as FTS syntax. A query made only of
 * digits and separators is one identifier ("442 254 011" finds the SIREN 442254011).
 */
export function toFtsExpression(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^[\d\s\u00a0\u202f.\-/]+$/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    return digits === '' ? null : `"${digits}"*`;
  }
  const words = trimmed.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

/** A match set larger than 1/BROAD_MATCH_RATIO of the register is walked in name order rather than sorted. */
const BROAD_MATCH_RATIO = 100;

export class SupplierSearch {
  constructor(private readonly db: VigieDatabase) {}

  /** `compliance` gives today's date and the token's URSSAF privilege, needed by the compliance filter. */
  search(rawQuery: SupplierQuery, compliance?: ComplianceParams): SupplierPage {
    const query = supplierQuerySchema.parse(rawQuery);
    const filters: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.compliance !== undefined) {
      if (!compliance) throw new Error('the compliance filter needs today and the URSSAF privilege');
      filters.push(`${COMPLIANCE_SQL} = @compliance`);
      Object.assign(params, compliance, { compliance: query.compliance });
    }
    if (query.activity !== 'all') {
      filters.push('s.active = @active');
      params.active = query.activity === 'active' ? 1 : 0;
    }
    if (query.tag !== undefined && query.tag !== '') {
      filters.push('EXISTS (SELECT 1 FROM supplier_tags t WHERE t.supplier_id = s.id AND t.tag = @tag)');
      params.tag = query.tag;
    }
    const fts = toFtsExpression(query.text);
    const direction = query.descending ? 'DESC' : 'ASC';
    const order = `${SORT_SQL[query.sort]} ${direction}, s.id ${direction}`;
    let total: number;
    let pageSql: string;
    if (fts === null) {
      const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
      total = (this.db.prepare(`SELECT count(*) AS n FROM suppliers s ${where}`).get(params) as { n: number }).n;
      pageSql = `SELECT s.id FROM suppliers s ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`;
    } else {
      params.fts = fts;
      const where = filters.length > 0 ? `AND ${filters.join(' AND ')}` : '';
      // every index row has its supplier (triggers keep them in step): without filters the index counts alone
      total =
        filters.length === 0
          ? (this.db.prepare('SELECT count(*) AS n FROM suppliers_fts WHERE suppliers_fts MATCH @fts').get(params) as { n: number }).n
          : (
              this.db
                .prepare(`SELECT count(*) AS n FROM suppliers_fts f JOIN suppliers s ON s.id = f.rowid WHERE suppliers_fts MATCH @fts ${where}`)
                .get(params) as { n: number }
            ).n;
      const broad = total * BROAD_MATCH_RATIO >= this.registerSize();
      pageSql =
        broad && query.sort === 'name'
          ? // most of the register matches: walk the name index and stop at the page, instead of sorting every match
            `SELECT s.id FROM suppliers s INDEXED BY suppliers_sort_name
             WHERE s.id IN (SELECT rowid FROM suppliers_fts WHERE suppliers_fts MATCH @fts) ${where}
             ORDER BY ${order} LIMIT @limit OFFSET @offset`
          : `SELECT s.id FROM suppliers_fts f JOIN suppliers s ON s.id = f.rowid
             WHERE suppliers_fts MATCH @fts ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`;
    }
    // the columns (and the tags subquery) only for the rows of the page
    const rows = this.db
      .prepare<Record<string, string | number>, SupplierRowShape>(
        `WITH page AS (${pageSql}) SELECT ${SUPPLIER_COLUMNS} FROM page CROSS JOIN suppliers s ON s.id = page.id ORDER BY ${order}`,
      )
      .all({ ...params, limit: query.limit, offset: query.offset });
    return { total, offset: query.offset, rows: rows.map(rowToSupplier) };
  }

  /** The largest id approximates the register's size at no cost (rows are rarely deleted). */
  private registerSize(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) AS n FROM suppliers').get() as { n: number }).n;
  }

  stats(): RegisterStats {
    const counts = this.db
      .prepare('SELECT count(*) AS suppliers, coalesce(sum(active), 0) AS active FROM suppliers')
      .get() as { suppliers: number; active: number };
    const tags = (this.db.prepare('SELECT DISTINCT tag FROM supplier_tags').pluck().all() as string[]).sort((a, b) =>
      a.localeCompare(b, 'fr'),
    );
    return { suppliers: counts.suppliers, active: counts.active, tags };
  }
}
