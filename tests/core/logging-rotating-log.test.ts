// The log file: JSON lines, redacted, rotated by size keeping N files, and a logger that never
// throws into the code it serves, whatever the disk does.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../src-main/node/logger';
import { REDACTED, Redactor, registerSecret } from '../../src-main/node/logging/redaction';
import {
  MAX_LINE_BYTES,
  nodeLogFs,
  redactingLogger,
  RotatingLog,
  teeLogger,
  type LogFs,
} from '../../src-main/node/logging/rotating-log';

// built here rather than written out: a JWT-shaped test value, not a credential
const JWT = [{ alg: 'HS256' }, { jti: 'test' }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJlLWZvci10ZXN0cw';

let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'vigie-logs-')), 'logs');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const linesOf = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const fixedNow = () => new Date(Date.UTC(2026, 10, 28, 8, 30));

describe('lines', () => {
  it('writes one JSON object per line in <dir>/vigie.log, creating the folder, readable by the user only', () => {
    const log = new RotatingLog({ dir, now: fixedNow, redactor: new Redactor() });
    log.info('csv import committed', { file: 'fournisseurs.csv', rows: 995 });
    log.warn('document download failed', { kind: 'timeout' });
    log.error('ipc: handler crashed', { channel: 'register.get' });
    log.close();
    expect(log.path).toBe(join(dir, 'vigie.log'));
    expect(linesOf(log.path)).toEqual([
      { at: '2026-11-28T08:30:00.000Z', level: 'info', message: 'csv import committed', file: 'fournisseurs.csv', rows: 995 },
      { at: '2026-11-28T08:30:00.000Z', level: 'warn', message: 'document download failed', kind: 'timeout' },
      { at: '2026-11-28T08:30:00.000Z', level: 'error', message: 'ipc: handler crashed', channel: 'register.get' },
    ]);
    if (process.platform !== 'win32') {
      expect(statSync(log.path).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('redacts the message and every field before anything reaches the disk or the echo', () => {
    const redactor = new Redactor();
    const forget = redactor.registerSecret('opaque-token-0123456789');
    const echoed: string[] = [];
    const log = new RotatingLog({ dir, redactor, echo: (line) => echoed.push(line) });
    log.error(`call failed with Authorization: Bearer ${JWT}`, {
      url: `https://h/p?token=${JWT}&a=1`,
      headers: { authorization: `Bearer ${JWT}` },
      error: new Error('token opaque-token-0123456789 refused'),
      nested: [{ password: 'hunter2hunter2' }],
    });
    log.close();
    forget();
    const text = readFileSync(log.path, 'utf8');
    for (const secret of [JWT, 'opaque-token-0123456789', 'hunter2hunter2']) {
      expect(text).not.toContain(secret);
      expect(echoed.join('\n')).not.toContain(secret);
    }
    const [line] = linesOf(log.path);
    expect(line?.message).toBe(`call failed with Authorization: ${REDACTED}`);
    expect(line?.headers).toEqual({ authorization: REDACTED });
    expect((line?.error as { stack: string }).stack).toContain(`token ${REDACTED} refused`);
  });

  it('uses the shared redactor by default: the token the app registers is masked', () => {
    const forget = registerSecret('app-registered-token-xyz');
    try {
      const log = new RotatingLog({ dir });
      log.info('echo of app-registered-token-xyz');
      log.close();
      expect(readFileSync(log.path, 'utf8')).toContain(`echo of ${REDACTED}`);
    } finally {
      forget();
    }
  });

  it('keeps one event on one line: no forged line through a newline, no forged level through a field', () => {
    const log = new RotatingLog({ dir, redactor: new Redactor(), now: fixedNow });
    log.info('name\n{"level":"error","message":"forged"}', { level: 'error', at: 'yesterday', message: 'x' });
    log.close();
    const lines = linesOf(log.path);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', at: '2026-11-28T08:30:00.000Z', 'field.level': 'error', 'field.at': 'yesterday', 'field.message': 'x' });
  });

  it('cuts a line over the size cap to its message', () => {
    const log = new RotatingLog({ dir, redactor: new Redactor() });
    log.info('big answer', { body: Array.from({ length: 100 }, () => 'x'.repeat(10_000)) });
    log.close();
    const text = readFileSync(log.path, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_LINE_BYTES);
    expect(linesOf(log.path)[0]).toMatchObject({ message: 'big answer', truncated: expect.stringMatching(/^line of \d+ bytes/) });
  });

  it('drops lines below the level', () => {
    const log = new RotatingLog({ dir, redactor: new Redactor(), level: 'warn' });
    log.info('chatty');
    log.warn('kept');
    log.close();
    expect(linesOf(log.path).map((l) => l.message)).toEqual(['kept']);
  });
});

describe('rotation', () => {
  it('rotates at the size limit and keeps N files, newest in vigie.log, in order', () => {
    const log = new RotatingLog({ dir, redactor: new Redactor(), maxBytes: 2_048, maxFiles: 3 });
    for (let i = 0; i < 300; i += 1) log.info('event', { i, padding: 'p'.repeat(40) });
    log.close();
    expect(readdirSync(dir).sort()).toEqual(['vigie.log', 'vigie.log.1', 'vigie.log.2']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(2_048);
    const kept = ['vigie.log.2', 'vigie.log.1', 'vigie.log'].flatMap((name) => linesOf(join(dir, name)).map((l) => l.i as number));
    // the newest lines, contiguous and in order, ending with the last one written
    expect(kept.at(-1)).toBe(299);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 300 - kept.length + k));
    expect(log.stats.rotations).toBeGreaterThan(3);
    expect(log.stats.dropped).toBe(0);
  });

  it('continues an existing log after a restart and counts its size', () => {
    const first = new RotatingLog({ dir, redactor: new Redactor(), maxBytes: 1_024, maxFiles: 2 });
    first.info('before restart', { padding: 'p'.repeat(900) });
    first.close();
    const second = new RotatingLog({ dir, redactor: new Redactor(), maxBytes: 1_024, maxFiles: 2 });
    second.info('after restart', { padding: 'p'.repeat(200) });
    second.close();
    expect(linesOf(join(dir, 'vigie.log.1')).map((l) => l.message)).toEqual(['before restart']);
    expect(linesOf(join(dir, 'vigie.log')).map((l) => l.message)).toEqual(['after restart']);
  });

  it('a line longer than the limit still gets written, alone in its file', () => {
    const log = new RotatingLog({ dir, redactor: new Redactor(), maxBytes: 1_024, maxFiles: 2 });
    log.info('small');
    log.info('long', { padding: 'p'.repeat(3_000) });
    log.info('after');
    log.close();
    expect(log.stats).toMatchObject({ written: 3, dropped: 0 });
    expect(linesOf(join(dir, 'vigie.log.1')).map((l) => l.message)).toEqual(['long']);
    expect(linesOf(join(dir, 'vigie.log')).map((l) => l.message)).toEqual(['after']);
  });

  it('with maxFiles 1 keeps only the current file', () => {
    const log = new RotatingLog({ dir, redactor: new Redactor(), maxBytes: 1_024, maxFiles: 1 });
    for (let i = 0; i < 50; i += 1) log.info('event', { i, padding: 'p'.repeat(60) });
    log.close();
    expect(readdirSync(dir)).toEqual(['vigie.log']);
    expect(linesOf(join(dir, 'vigie.log')).at(-1)?.i).toBe(49);
  });

  it('a rotation refused (file held open by a viewer on Windows) keeps logging, retries later, and caps the file', () => {
    let now = Date.UTC(2026, 10, 28, 8, 0);
    let renameBlocked = true;
    const errors: unknown[] = [];
    const fs: LogFs = {
      ...nodeLogFs,
      renameSync: (from, to) => {
        if (renameBlocked) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
        nodeLogFs.renameSync(from, to);
      },
    };
    const log = new RotatingLog({ dir, redactor: new Redactor(), maxBytes: 1_024, maxFiles: 3, fs, now: () => new Date(now), onInternalError: (e) => errors.push(e) });
    for (let i = 0; i < 60; i += 1) log.info('event', { i, padding: 'p'.repeat(60) });
    // appended past the limit, but never past twice the limit
    expect(statSync(log.path).size).toBeLessThanOrEqual(2_048);
    expect(statSync(log.path).size).toBeGreaterThan(1_024);
    expect(log.stats.dropped).toBeGreaterThan(0);
    expect(errors.length).toBe(1);
    renameBlocked = false;
    now += 61_000;
    log.info('after the viewer closed');
    log.close();
    expect(readdirSync(dir).sort()).toEqual(['vigie.log', 'vigie.log.1']);
    expect(linesOf(log.path).map((l) => l.message)).toEqual(['after the viewer closed']);
  });
});

describe('never throws', () => {
  it('a full disk: lines are dropped and counted, the caller never sees an error, writing resumes when room comes back', () => {
    let full = true;
    const errors: unknown[] = [];
    const fs: LogFs = {
      ...nodeLogFs,
      writeSync: (fd, data) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return nodeLogFs.writeSync(fd, data);
      },
    };
    const log = new RotatingLog({ dir, redactor: new Redactor(), fs, onInternalError: (e) => errors.push(e) });
    expect(() => {
      for (let i = 0; i < 20; i += 1) log.error('cannot write', { i });
    }).not.toThrow();
    expect(log.stats).toMatchObject({ written: 0, dropped: 20 });
    // reported once, not twenty times
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOSPC');
    full = false;
    log.info('room again');
    log.close();
    expect(linesOf(log.path).map((l) => l.message)).toEqual(['room again']);
  });

  it('a folder that cannot be created (a file is in the way)', () => {
    writeFileSync(join(dir, '..', 'blocked'), 'not a folder');
    const log = new RotatingLog({ dir: join(dir, '..', 'blocked', 'logs'), redactor: new Redactor() });
    expect(() => log.info('nowhere to go')).not.toThrow();
    expect(log.stats.dropped).toBe(1);
    log.close();
  });

  it('a clock, an echo or an internal-error reporter that throws', () => {
    const log = new RotatingLog({
      dir,
      redactor: new Redactor(),
      now: () => {
        throw new Error('clock');
      },
      echo: () => {
        throw new Error('stderr closed');
      },
      fs: { ...nodeLogFs, writeSync: () => { throw new Error('EIO'); } },
      onInternalError: () => {
        throw new Error('reporter');
      },
    });
    expect(() => log.info('still fine')).not.toThrow();
    log.close();
  });

  it('close flushes to disk once, is idempotent, and later lines are dropped', () => {
    const fsync = vi.fn(nodeLogFs.fsyncSync);
    const log = new RotatingLog({ dir, redactor: new Redactor(), fs: { ...nodeLogFs, fsyncSync: fsync } });
    log.info('one');
    log.close();
    log.close();
    log.info('after close');
    expect(fsync).toHaveBeenCalledTimes(1);
    expect(linesOf(log.path).map((l) => l.message)).toEqual(['one']);
    expect(log.stats.dropped).toBe(1);
  });
});

describe('combinators', () => {
  it('teeLogger feeds every logger even when one throws; redactingLogger redacts for the stderr logger', () => {
    const seen: unknown[][] = [];
    const recorder: Logger = {
      info: (m, f) => seen.push(['info', m, f]),
      warn: (m, f) => seen.push(['warn', m, f]),
      error: (m, f) => seen.push(['error', m, f]),
    };
    const broken: Logger = {
      info: () => {
        throw new Error('broken');
      },
      warn: () => {
        throw new Error('broken');
      },
      error: () => {
        throw new Error('broken');
      },
    };
    const logger = teeLogger(broken, redactingLogger(recorder, new Redactor()));
    expect(() => logger.warn(`Bearer ${JWT}`, { token: 'abc' })).not.toThrow();
    expect(seen).toEqual([['warn', `Bearer ${REDACTED}`, { token: REDACTED }]]);
    expect(existsSync(dir)).toBe(false);
  });
});
