import { supplierQuerySchema, type SupplierPage, type SupplierQuery, type RegisterStats } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
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

export class SupplierSearch {
  constructor(private readonly db: VigieDatabase) {}

  search(rawQuery: SupplierQuery): SupplierPage {
    const query = supplierQuerySchema.parse(rawQuery);
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const fts = toFtsExpression(query.text);
    let from = 'suppliers s';
    if (fts !== null) {
      from = 'suppliers_fts f JOIN suppliers s ON s.id = f.rowid';
      where.push('suppliers_fts MATCH @fts');
      params.fts = fts;
    }
    if (query.activity !== 'all') {
      where.push('s.active = @active');
      params.active = query.activity === 'active' ? 1 : 0;
    }
    if (query.tag !== undefined && query.tag !== '') {
      where.push('EXISTS (SELECT 1 FROM supplier_tags t WHERE t.supplier_id = s.id AND t.tag = @tag)');
      params.tag = query.tag;
    }
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const direction = query.descending ? 'DESC' : 'ASC';
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM ${from} ${whereSql}`).get(params) as { n: number }
    ).n;
    const rows = this.db
      .prepare<Record<string, string | number>, SupplierRowShape>(
        `SELECT ${SUPPLIER_COLUMNS} FROM ${from} ${whereSql}
         ORDER BY ${SORT_SQL[query.sort]} ${direction}, s.id ${direction}
         LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: query.limit, offset: query.offset });
    return { total, offset: query.offset, rows: rows.map(rowToSupplier) };
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
