import type { Database } from 'better-sqlite3';

/** One schema step. `version` is what `PRAGMA user_version` says once it has run. */
export interface Migration {
  readonly version: number;
  /** Intent, in a few words: the file is named after it. */
  readonly name: string;
  up(db: Database): void;
}
