// The copies a restore or a transfer import keeps aside: the latest of each kind always stays,
// older ones go past 90 days, with their side files; a corrupted database moved aside stays.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVigieCore } from '../../src-main/node/app/vigie-core';
import { silentLogger } from '../../src-main/node/logger';
import { pruneKeptAside } from '../../src-main/node/safety/kept-aside-cleanup';
import { fileStamp } from '../../src-main/node/safety/sqlite-file-check';
import { fakeDialogs } from '../harness/fake-dialogs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-11-28T10:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

function userData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-kept-aside-'));
  dirs.push(dir);
  return dir;
}

function keepDatabaseAside(dir: string, at: Date, suffix = ''): string {
  const name = `vigie.sqlite3.before-restore-${fileStamp(at)}${suffix}`;
  writeFileSync(join(dir, name), 'old register');
  writeFileSync(join(dir, `${name}-wal`), 'its wal');
  return name;
}

function keepDocumentsAside(dir: string, at: Date): string {
  const name = `documents.before-transfer-${fileStamp(at)}`;
  mkdirSync(join(dir, name, 'ab', 'cd'), { recursive: true });
  writeFileSync(join(dir, name, 'ab', 'cd', 'x.pdf'), '%PDF-1.7');
  return name;
}

describe('copies kept aside by restores and transfer imports', () => {
  it('removes those past 90 days with their side files, keeps the latest of each kind and everything recent', () => {
    const dir = userData();
    const veryOld = keepDatabaseAside(dir, daysAgo(400));
    const old = keepDatabaseAside(dir, daysAgo(120));
    const oldSameInstant = keepDatabaseAside(dir, daysAgo(120), '-2');
    const recent = keepDatabaseAside(dir, daysAgo(10));
    const oldDocuments = keepDocumentsAside(dir, daysAgo(200));
    const latestDocuments = keepDocumentsAside(dir, daysAgo(150));
    const corrupt = `vigie.sqlite3.corrupt-${fileStamp(daysAgo(500))}`;
    writeFileSync(join(dir, corrupt), 'evidence');
    writeFileSync(join(dir, 'vigie.sqlite3'), 'current');

    const removed = pruneKeptAside({ databasePath: join(dir, 'vigie.sqlite3'), documentsRoot: join(dir, 'documents') }, NOW, silentLogger);

    const left = readdirSync(dir).sort();
    expect(left).toEqual([corrupt, latestDocuments, recent, `${recent}-wal`, 'vigie.sqlite3'].sort());
    expect(removed.map((path) => path.slice(dir.length + 1)).sort()).toEqual(
      [veryOld, `${veryOld}-wal`, old, `${old}-wal`, oldSameInstant, `${oldSameInstant}-wal`, oldDocuments].sort(),
    );
  });

  it('keeps a lone old copy: it is the only way back', () => {
    const dir = userData();
    const only = keepDatabaseAside(dir, daysAgo(1000));
    expect(pruneKeptAside({ databasePath: join(dir, 'vigie.sqlite3'), documentsRoot: join(dir, 'documents') }, NOW)).toEqual([]);
    expect(existsSync(join(dir, only))).toBe(true);
  });

  it('runs with the core’s hourly maintenance', async () => {
    const dir = userData();
    const old = keepDatabaseAside(dir, daysAgo(200));
    const latest = keepDatabaseAside(dir, daysAgo(100));
    const core = createVigieCore({ databasePath: join(dir, 'vigie.sqlite3'), dialogs: fakeDialogs(), logger: silentLogger, now: () => NOW, clock: { now: () => NOW.getTime(), setTimer: () => () => {} } });
    try {
      const report = await core.maintenance();
      expect(report.removedKeptAside.map((path) => path.slice(dir.length + 1)).sort()).toEqual([old, `${old}-wal`].sort());
      expect(existsSync(join(dir, latest))).toBe(true);
    } finally {
      core.close();
    }
  });
});
