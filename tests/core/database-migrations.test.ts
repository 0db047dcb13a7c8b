import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseTooNewError,
  migrate,
  openDatabase,
  schemaVersion,
  type VigieDatabase,
} from '../../src-main/node/db/database';
import { migrations } from '../../src-main/node/db/migrations/index';
import type { Migration } from '../../src-main/node/db/migrations/migration';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const LATEST = migrations.length;
const NOW = '2025-01-02T03:04:05.000Z';

let dir: string;
const opened: VigieDatabase[] = [];

/** Every database a test opens is closed after it, even when an assertion fails midway. */
function track(db: VigieDatabase): VigieDatabase {
  opened.push(db);
  return db;
}

function open(name: string, options?: Parameters<typeof openDatabase>[1]): VigieDatabase {
  return track(openDatabase(join(dir, name), options));
}

/** The raw file, without openDatabase's pragmas nor migrations. */
function raw(name: string): VigieDatabase {
  return track(new Database(join(dir, name)));
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

function schemaOf(db: VigieDatabase): SchemaRow[] {
  return db
    .prepare<[], SchemaRow>('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
    .all();
}

function tableNames(db: VigieDatabase): string[] {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
}

const first = migrations[0] as Migration;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-migrations-'));
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the migration list', () => {
  it('is numbered 1..n in order, with unique names', () => {
    expect(LATEST).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: LATEST }, (_, i) => i + 1));
    expect(new Set(migrations.map((m) => m.name)).size).toBe(LATEST);
  });
});

describe('openDatabase', () => {
  it('turns on WAL journaling and foreign keys for a database file', () => {
    const db = open('vigie.sqlite3');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('brings a new database to the latest schema version', () => {
    const db = open('vigie.sqlite3');
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(tableNames(db)).toEqual(expect.arrayContaining(['suppliers', 'supplier_tags', 'refresh_runs', 'refresh_jobs']));
  });

  it('is idempotent: reopening an up-to-date database changes nothing', () => {
    const db = open('vigie.sqlite3');
    const before = schemaOf(db);
    db.close();
    const again = open('vigie.sqlite3');
    expect(schemaVersion(again)).toBe(LATEST);
    expect(schemaOf(again)).toEqual(before);
  });

  it('keeps foreign keys on for an in-memory database too', () => {
    const db = track(openDatabase(':memory:'));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST);
  });

  it('stops at targetVersion 0 without creating anything', () => {
    const db = open('empty.sqlite3', { targetVersion: 0 });
    expect(schemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual([]);
  });
});

describe('upgrading an older database', () => {
  const earlier = Array.from({ length: LATEST }, (_, k) => k);

  it.each(earlier)('upgrades a database left at version %i to the same schema as a new one', (k) => {
    const fresh = open('fresh.sqlite3');
    const expected = schemaOf(fresh);
    expect(expected.length).toBeGreaterThan(0);

    const old = open(`v${k}.sqlite3`, { targetVersion: k });
    expect(schemaVersion(old)).toBe(k);
    old.close();

    const upgraded = open(`v${k}.sqlite3`);
    expect(schemaVersion(upgraded)).toBe(LATEST);
    expect(schemaOf(upgraded)).toEqual(expected);
    expect(upgraded.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(upgraded.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('migration failures', () => {
  const brokenSecond: Migration = {
    version: 2,
    name: 'broken-midway',
    up(db) {
      db.exec('CREATE TABLE half_done_a (x INTEGER); CREATE TABLE half_done_b (y TEXT);');
      db.prepare('INSERT INTO half_done_a (x) VALUES (1)').run();
      throw new Error('boom midway through migration 2');
    },
  };

  it('rolls back a migration that throws midway: the database stays at the previous version', () => {
    expect(() => open('broken.sqlite3', { migrations: [first, brokenSecond] })).toThrow('boom midway through migration 2');

    const db = raw('broken.sqlite3');
    expect(schemaVersion(db)).toBe(1);
    const tables = tableNames(db);
    expect(tables).toContain('suppliers');
    expect(tables).not.toContain('half_done_a');
    expect(tables).not.toContain('half_done_b');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('applies the repaired migration on the next start', () => {
    expect(() => open('broken.sqlite3', { migrations: [first, brokenSecond] })).toThrow();
    const repaired: Migration = { version: 2, name: 'repaired', up: (db) => db.exec('CREATE TABLE half_done_a (x INTEGER)') };
    const db = open('broken.sqlite3', { migrations: [first, repaired] });
    expect(schemaVersion(db)).toBe(2);
    expect(tableNames(db)).toContain('half_done_a');
  });

  it('refuses a database written by a newer Vigie, and leaves it as it was', () => {
    const db = open('newer.sqlite3');
    db.pragma(`user_version = ${LATEST + 5}`);
    db.close();

    let caught: unknown;
    try {
      open('newer.sqlite3');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatabaseTooNewError);
    expect(caught).toMatchObject({ found: LATEST + 5, known: LATEST, name: 'DatabaseTooNewError' });
    expect(schemaVersion(raw('newer.sqlite3'))).toBe(LATEST + 5);
  });

  it.each<[string, (m1: Migration) => Migration[]]>([
    ['a gap in version numbers', (m1) => [m1, { version: 3, name: 'three', up: (db) => db.exec('CREATE TABLE three (x)') }]],
    ['a list that does not start at 1', () => [{ version: 2, name: 'two', up: (db) => db.exec('CREATE TABLE two (x)') }]],
    ['a repeated version', (m1) => [m1, { ...m1, name: 'again' }]],
    ['versions out of order', (m1) => [{ version: 2, name: 'two', up: (db) => db.exec('CREATE TABLE two (x)') }, m1]],
  ])('refuses %s before applying anything', (_label, build) => {
    expect(() => open('gap.sqlite3', { migrations: build(first) })).toThrow(/expected \d/);
    const db = raw('gap.sqlite3');
    expect(schemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual([]);
  });

  it('checks the list when migrate is called directly too', () => {
    const db = track(new Database(':memory:'));
    const gap: Migration[] = [first, { version: 3, name: 'three', up: () => {} }];
    expect(() => migrate(db, gap)).toThrow(/three.*version 3.*expected 2/);
    expect(schemaVersion(db)).toBe(0);
  });
});

describe('schema constraints', () => {
  const insertSupplier = (db: VigieDatabase, siren: string, siret: string | null, active = 1) =>
    db
      .prepare(
        'INSERT INTO suppliers (siren, siret, name, sort_name, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(siren, siret, 'Dupont', 'dupont', active, NOW, NOW);

  it('enforces foreign keys: a refresh job for a missing run is refused', () => {
    const db = open('fk.sqlite3');
    const supplierId = insertSupplier(db, makeSiren(1), makeSiret(1)).lastInsertRowid;
    const job = db.prepare("INSERT INTO refresh_jobs (run_id, supplier_id, endpoint, state) VALUES (?, ?, 'insee/unites_legales', 'pending')");
    expect(() => job.run(999, supplierId)).toThrow(/FOREIGN KEY constraint failed/);

    const runId = db.prepare("INSERT INTO refresh_runs (trigger, state, started_at) VALUES ('manual', 'running', ?)").run(NOW).lastInsertRowid;
    expect(() => job.run(runId, supplierId)).not.toThrow();
    expect(() => job.run(runId, 424242)).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('enforces foreign keys: a tag for a missing supplier is refused, and tags go with their supplier', () => {
    const db = open('fk.sqlite3');
    expect(() => db.prepare("INSERT INTO supplier_tags (supplier_id, tag) VALUES (77, 'btp')").run()).toThrow(/FOREIGN KEY/);

    const id = insertSupplier(db, makeSiren(2), null).lastInsertRowid;
    db.prepare("INSERT INTO supplier_tags (supplier_id, tag) VALUES (?, 'btp')").run(id);
    db.prepare('DELETE FROM suppliers WHERE id = ?').run(id);
    expect(db.prepare('SELECT count(*) AS n FROM supplier_tags').get()).toEqual({ n: 0 });
  });

  it('refuses a SIRET whose first 9 digits are not the SIREN', () => {
    const db = open('check.sqlite3');
    expect(() => insertSupplier(db, makeSiren(1), makeSiret(2))).toThrow(/CHECK constraint failed/);
    expect(() => insertSupplier(db, makeSiren(1), makeSiret(1))).not.toThrow();
  });

  it.each<[string, string, string | null, number]>([
    ['a SIREN of 8 digits', '12345678', null, 1],
    ['a SIRET of 13 digits', makeSiren(3), `${makeSiren(3)}0001`, 1],
    ['an active flag other than 0 or 1', makeSiren(3), null, 2],
  ])('refuses %s', (_label, siren, siret, active) => {
    const db = open('check.sqlite3');
    expect(() => insertSupplier(db, siren, siret, active)).toThrow(/CHECK constraint failed/);
  });

  it('keeps one row per SIRET, and one SIREN-only row per SIREN', () => {
    const db = open('unique.sqlite3');
    insertSupplier(db, makeSiren(4), makeSiret(4, 1));
    expect(() => insertSupplier(db, makeSiren(4), makeSiret(4, 1))).toThrow(/UNIQUE/);
    expect(() => insertSupplier(db, makeSiren(4), makeSiret(4, 2))).not.toThrow();
    insertSupplier(db, makeSiren(4), null);
    expect(() => insertSupplier(db, makeSiren(4), null)).toThrow(/UNIQUE/);
  });

  it('keeps the full-text index in step with the suppliers table', () => {
    const db = open('fts.sqlite3');
    const id = insertSupplier(db, makeSiren(5), makeSiret(5)).lastInsertRowid;
    db.prepare("UPDATE suppliers SET name = 'Boulangerie Étoile' WHERE id = ?").run(id);
    const match = db.prepare<[string], { rowid: number }>('SELECT rowid FROM suppliers_fts WHERE suppliers_fts MATCH ?');
    expect(match.all('"etoile"*').map((r) => r.rowid)).toEqual([Number(id)]);
    expect(match.all('"dupont"*')).toEqual([]);
    expect(() => db.exec("INSERT INTO suppliers_fts (suppliers_fts) VALUES ('integrity-check')")).not.toThrow();
    db.prepare('DELETE FROM suppliers WHERE id = ?').run(id);
    expect(match.all('"etoile"*')).toEqual([]);
  });
});
