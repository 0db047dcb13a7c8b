import Database from 'better-sqlite3';
import { migrations as allMigrations } from './migrations/index';
import type { Migration } from './migrations/migration';

export type VigieDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** Path of the native addon built for Electron's ABI; Node uses the default build. */
  nativeBinding?: string;
  /** Stop at this schema version (tests of the upgrade path). */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

export class DatabaseTooNewError extends Error {
  constructor(readonly found: number, readonly known: number) {
    super(`database schema version ${found} is newer than this build knows (${known})`);
    this.name = 'DatabaseTooNewError';
  }
}

/** Opens (or creates) the register database, with WAL and foreign keys, and brings its schema up to date. */
export function openDatabase(filePath: string, options: OpenDatabaseOptions = {}): VigieDatabase {
  const db = new Database(filePath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // refuse a newer schema before touching the file's settings
    const known = (options.migrations ?? allMigrations).at(-1)?.version ?? 0;
    if (schemaVersion(db) > known) throw new DatabaseTooNewError(schemaVersion(db), known);
    if (filePath !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? allMigrations, options.targetVersion);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: VigieDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs each pending migration in its own transaction, together with its `user_version` bump. */
export function migrate(db: VigieDatabase, migrations: readonly Migration[], targetVersion?: number): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const target = targetVersion ?? latest;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
    }
  });
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
