import type { Supplier } from '../../common/ipc-contract';
import { foldText } from '../../common/text-folding';
import type { VigieDatabase } from '../db/database';

/** The editable fields of a supplier; absent fields keep their stored value. */
export interface SupplierPatch {
  name?: string;
  accountingCode?: string;
  address?: string;
  postalCode?: string;
  city?: string;
  tags?: string[];
  notes?: string;
  active?: boolean;
}

/** What a caller (CSV import, a form) knows of a supplier: its identifiers and what it may change. */
export interface SupplierInput extends SupplierPatch {
  siren: string;
  siret: string | null;
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

interface SupplierRow {
  id: number;
  siren: string;
  siret: string | null;
  name: string;
  accounting_code: string | null;
  address: string | null;
  postal_code: string | null;
  city: string | null;
  notes: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  tags_json: string;
}

export const SUPPLIER_COLUMNS = `s.id, s.siren, s.siret, s.name, s.accounting_code, s.address, s.postal_code, s.city,
  s.notes, s.active, s.created_at, s.updated_at,
  (SELECT json_group_array(tag) FROM (SELECT tag FROM supplier_tags WHERE supplier_id = s.id ORDER BY tag)) AS tags_json`;

export function rowToSupplier(row: SupplierRow): Supplier {
  return {
    id: row.id,
    siren: row.siren,
    siret: row.siret,
    name: row.name,
    accountingCode: row.accounting_code,
    address: row.address,
    postalCode: row.postal_code,
    city: row.city,
    tags: (JSON.parse(row.tags_json) as string[]).sort((a, b) => a.localeCompare(b, 'fr')),
    notes: row.notes,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type SupplierRowShape = SupplierRow;

type TextField = 'name' | 'accountingCode' | 'address' | 'postalCode' | 'city' | 'notes';
const TEXT_FIELDS: readonly TextField[] = ['name', 'accountingCode', 'address', 'postalCode', 'city', 'notes'];

export class SupplierRepository {
  private readonly findBySiret;
  private readonly findBySirenOnly;
  private readonly byId;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly deleteTags;
  private readonly insertTag;

  constructor(
    private readonly db: VigieDatabase,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.findBySiret = db.prepare<[string], SupplierRow>(`SELECT ${SUPPLIER_COLUMNS} FROM suppliers s WHERE s.siret = ?`);
    this.findBySirenOnly = db.prepare<[string], SupplierRow>(
      `SELECT ${SUPPLIER_COLUMNS} FROM suppliers s WHERE s.siren = ? AND s.siret IS NULL`,
    );
    this.byId = db.prepare<[number], SupplierRow>(`SELECT ${SUPPLIER_COLUMNS} FROM suppliers s WHERE s.id = ?`);
    this.insertStmt = db.prepare(
      `INSERT INTO suppliers (siren, siret, name, sort_name, accounting_code, address, postal_code, city, notes, active, created_at, updated_at)
       VALUES (@siren, @siret, @name, @sortName, @accountingCode, @address, @postalCode, @city, @notes, @active, @now, @now)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE suppliers SET name = @name, sort_name = @sortName, accounting_code = @accountingCode, address = @address,
         postal_code = @postalCode, city = @city, notes = @notes, active = @active, updated_at = @now
       WHERE id = @id`,
    );
    this.deleteTags = db.prepare('DELETE FROM supplier_tags WHERE supplier_id = ?');
    this.insertTag = db.prepare('INSERT OR IGNORE INTO supplier_tags (supplier_id, tag) VALUES (?, ?)');
  }

  get(id: number): Supplier | null {
    const row = this.byId.get(id);
    return row ? rowToSupplier(row) : null;
  }

  /** The stored supplier with the same identity: same SIRET, or same SIREN when neither has a SIRET. */
  findSame(siren: string, siret: string | null): Supplier | null {
    const row = siret ? this.findBySiret.get(siret) : this.findBySirenOnly.get(siren);
    return row ? rowToSupplier(row) : null;
  }

  /** Inserts or merges one supplier. Must run inside the caller's transaction for bulk work. */
  upsert(input: SupplierInput): UpsertOutcome {
    const existing = this.findSame(input.siren, input.siret);
    const tags = input.tags ? normalizeTags(input.tags) : undefined;
    if (!existing) {
      const name = input.name ?? '';
      const info = this.insertStmt.run({
        siren: input.siren,
        siret: input.siret,
        name,
        sortName: foldText(name),
        accountingCode: input.accountingCode ?? null,
        address: input.address ?? null,
        postalCode: input.postalCode ?? null,
        city: input.city ?? null,
        notes: input.notes ?? null,
        active: input.active === false ? 0 : 1,
        now: this.now(),
      });
      for (const tag of tags ?? []) this.insertTag.run(info.lastInsertRowid, tag);
      return 'inserted';
    }
    const merged: Record<TextField, string | null> = {
      name: existing.name,
      accountingCode: existing.accountingCode,
      address: existing.address,
      postalCode: existing.postalCode,
      city: existing.city,
      notes: existing.notes,
    };
    let changed = false;
    for (const field of TEXT_FIELDS) {
      const value = input[field];
      // an empty cell never erases what the register already knows
      if (value !== undefined && value !== '' && value !== merged[field]) {
        merged[field] = value;
        changed = true;
      }
    }
    const active = input.active ?? existing.active;
    if (active !== existing.active) changed = true;
    const tagsChanged = tags !== undefined && tags.length > 0 && !sameList(tags, existing.tags);
    if (!changed && !tagsChanged) return 'unchanged';
    this.updateStmt.run({
      id: existing.id,
      ...merged,
      name: merged.name ?? '',
      sortName: foldText(merged.name ?? ''),
      active: active ? 1 : 0,
      now: this.now(),
    });
    if (tagsChanged) {
      this.deleteTags.run(existing.id);
      for (const tag of tags) this.insertTag.run(existing.id, tag);
    }
    return 'updated';
  }

  /** An agent's edit: every given field is set as typed, an empty text clears it. */
  update(id: number, patch: SupplierPatch): Supplier | null {
    const existing = this.get(id);
    if (!existing) return null;
    const text = (value: string | undefined, current: string | null) => (value === undefined ? current : value.trim() === '' ? null : value.trim());
    const name = patch.name !== undefined ? patch.name.trim() : existing.name;
    this.db.transaction(() => {
      this.updateStmt.run({
        id,
        name,
        sortName: foldText(name),
        accountingCode: text(patch.accountingCode, existing.accountingCode),
        address: text(patch.address, existing.address),
        postalCode: text(patch.postalCode, existing.postalCode),
        city: text(patch.city, existing.city),
        notes: text(patch.notes, existing.notes),
        active: (patch.active ?? existing.active) ? 1 : 0,
        now: this.now(),
      });
      if (patch.tags !== undefined) {
        this.deleteTags.run(id);
        for (const tag of normalizeTags(patch.tags)) this.insertTag.run(id, tag);
      }
    })();
    return this.get(id);
  }

  /**
   * Every supplier in name order, read in small keyset pages: memory stays flat at 100,000 rows,
   * and the connection is free between pages for the queries the UI keeps sending.
   */
  *iterateAll(pageSize = 1000): Generator<Supplier> {
    const page = this.db.prepare<{ sortName: string; id: number; limit: number }, SupplierRow & { sort_name: string }>(
      `SELECT ${SUPPLIER_COLUMNS}, s.sort_name FROM suppliers s
       WHERE (s.sort_name, s.id) > (@sortName, @id) ORDER BY s.sort_name, s.id LIMIT @limit`,
    );
    let cursor = { sortName: '', id: 0 };
    for (;;) {
      const rows = page.all({ ...cursor, limit: pageSize });
      for (const row of rows) yield rowToSupplier(row);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      cursor = { sortName: last.sort_name, id: last.id };
    }
  }
}

export function normalizeTags(tags: readonly string[]): string[] {
  const clean = tags.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
  return [...new Set(clean)].sort((a, b) => a.localeCompare(b, 'fr'));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort((x, y) => x.localeCompare(y, 'fr'));
  return a.length === sortedB.length && a.every((v, i) => v === sortedB[i]);
}
