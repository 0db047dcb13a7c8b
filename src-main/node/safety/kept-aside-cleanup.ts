// What a restore or a transfer import keeps aside (`vigie.sqlite3.before-restore-<instant>` with its
// side files, `documents.before-transfer-<instant>`) is the user's way back; it cannot pile up for
// ever either (a documents folder can weigh gigabytes). Each kind keeps its latest copy whatever
// its age; older copies go once they are past the retention. A corrupted database moved aside at
// start-up (`.corrupt-`) is evidence and is never removed here.
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../logger';
import { parseFileStamp, SIDE_SUFFIXES } from './sqlite-file-check';

export const KEPT_ASIDE_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

interface KeptAside {
  /** The entry's own name and its side files' names (a database's -wal, -shm, -journal). */
  names: string[];
  at: Date;
}

/** `<base>.<marker>-<fileStamp>[-n]`: the instant, or null when the name is not one of ours. */
function instantOf(name: string, prefix: string): Date | null {
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length).replace(/-\d+$/, '');
  return parseFileStamp(rest);
}

function keptAside(dir: string, prefix: string, withSideFiles: boolean): KeptAside[] {
  const names = readdirSync(dir);
  const found: KeptAside[] = [];
  for (const name of names) {
    if (withSideFiles && SIDE_SUFFIXES.some((suffix) => name.endsWith(suffix))) continue;
    const at = instantOf(name, prefix);
    if (!at) continue;
    const sides = withSideFiles ? SIDE_SUFFIXES.map((suffix) => `${name}${suffix}`).filter((side) => names.includes(side)) : [];
    found.push({ names: [name, ...sides], at });
  }
  return found.sort((a, b) => b.at.getTime() - a.at.getTime());
}

export interface KeptAsidePlaces {
  databasePath: string;
  documentsRoot: string;
}

/**
 * Removes the copies kept aside beside the database and the documents folder that are older than
 * the retention, always sparing the latest of each kind. Returns the paths removed.
 */
export function pruneKeptAside(places: KeptAsidePlaces, now: Date, logger?: Logger, retentionDays = KEPT_ASIDE_RETENTION_DAYS): string[] {
  const limit = now.getTime() - retentionDays * DAY_MS;
  const removed: string[] = [];
  const kinds = [
    { dir: dirname(places.databasePath), copies: keptAside(dirname(places.databasePath), `${basename(places.databasePath)}.before-restore-`, true) },
    { dir: dirname(places.documentsRoot), copies: keptAside(dirname(places.documentsRoot), `${basename(places.documentsRoot)}.before-transfer-`, false) },
  ];
  for (const { dir, copies } of kinds) {
    for (const copy of copies.slice(1)) {
      if (copy.at.getTime() >= limit) continue;
      try {
        for (const name of copy.names) rmSync(join(dir, name), { recursive: true, force: true });
        removed.push(...copy.names.map((name) => join(dir, name)));
      } catch (error) {
        // in use or protected: tried again at the next maintenance
        logger?.warn('kept-aside copy not removed', { name: copy.names[0], error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  if (removed.length > 0) logger?.info('old kept-aside copies removed', { count: removed.length });
  return removed;
}
