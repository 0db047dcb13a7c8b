// The outcome of a register replacement, carried across the restart that follows it: written by
// the shell before relaunching, handed out once by the next core, never an English error.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVigieCore } from '../../src-main/node/app/vigie-core';
import { silentLogger } from '../../src-main/node/logger';
import { BackupError } from '../../src-main/node/safety/database-backup';
import { leaveRestartNotice, replacementNotice, RESTART_NOTICE_FILE, takeRestartNotice } from '../../src-main/node/safety/restart-notice';
import { fakeDialogs } from '../harness/fake-dialogs';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-restart-notice-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const AT = new Date('2026-11-28T14:00:00Z');

describe('restart notice', () => {
  it('is handed out once, then gone, and leaves no temporary file', () => {
    const dir = tempDir();
    leaveRestartNotice(dir, replacementNotice(null, AT));
    expect(readdirSync(dir)).toEqual([RESTART_NOTICE_FILE]);
    const notice = takeRestartNotice(dir);
    expect(notice).toEqual({ outcome: 'success', message: expect.stringMatching(/^Le registre a été remplacé comme demandé\./), at: AT.toISOString() });
    expect(takeRestartNotice(dir)).toBeNull();
    expect(existsSync(join(dir, RESTART_NOTICE_FILE))).toBe(false);
  });

  it('keeps a French reason of a failure and never an English one', () => {
    const french = replacementNotice(new BackupError('backup_corrupt', 'Cette sauvegarde est endommagée : elle ne peut pas être utilisée.', 'integrity_check: row 3 missing'), AT);
    expect(french.outcome).toBe('failure');
    expect(french.message).toBe(
      'Le remplacement du registre n’a pas abouti : Vigie a repris le registre d’avant, qui n’a pas changé. Cette sauvegarde est endommagée : elle ne peut pas être utilisée.',
    );
    expect(french.message).not.toContain('integrity_check');
    const english = replacementNotice(new Error('SQLITE_IOERR: disk I/O error'), AT);
    expect(english.message).toBe('Le remplacement du registre n’a pas abouti : Vigie a repris le registre d’avant, qui n’a pas changé.');
  });

  it('drops an unreadable notice instead of failing the start', () => {
    const dir = tempDir();
    writeFileSync(join(dir, RESTART_NOTICE_FILE), '{"outcome":"maybe"');
    expect(takeRestartNotice(dir)).toBeNull();
    expect(existsSync(join(dir, RESTART_NOTICE_FILE))).toBe(false);
  });

  it('reaches the renderer once through the app.restartNotice channel', async () => {
    const dir = tempDir();
    const core = createVigieCore({ databasePath: join(dir, 'vigie.sqlite3'), dialogs: fakeDialogs(), logger: silentLogger });
    try {
      expect(await core.dispatch('app.restartNotice', {})).toEqual({ ok: true, value: null });
      leaveRestartNotice(dir, replacementNotice(new BackupError('backup_too_new', 'Cette sauvegarde a été faite par une version plus récente de Vigie.', 'schema 9 > 2'), AT));
      const first = await core.dispatch('app.restartNotice', {});
      expect(first).toEqual({ ok: true, value: { outcome: 'failure', message: expect.stringContaining('version plus récente'), at: AT.toISOString() } });
      expect(await core.dispatch('app.restartNotice', {})).toEqual({ ok: true, value: null });
    } finally {
      core.close();
    }
  });
});
