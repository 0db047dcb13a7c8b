// Moving the data folder: a full move there and back (the database still opens, documents,
// backups and settings byte-identical, pointer written), failures injected at each stage through
// the fs layer (disk full while copying, rename refused, crashes before and after the pointer is
// written), and the refusals made before anything is copied. After each failure: nothing lost,
// nothing left half-moved, the pointer unchanged, the outcome kept for Paramètres.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/node/db/database';
import type { Logger } from '../../src-main/node/logger';
import { DATA_LOCATION_FILE, DATA_MOVE_FILE, DataFolder, STAGING_FOLDER_NAME, type DataFolderFs } from '../../src-main/node/safety/data-folder';
import { createConfStore } from '../../src-main/node/settings/conf-store';

const SUPPLIERS = 250;

let root: string;
let defaultDir: string;
let disk: string;
const lines: string[] = [];
const logger: Logger = {
  info: (message, fields) => lines.push(`info ${message} ${JSON.stringify(fields ?? {})}`),
  warn: (message, fields) => lines.push(`warn ${message} ${JSON.stringify(fields ?? {})}`),
  error: (message, fields) => lines.push(`error ${message} ${JSON.stringify(fields ?? {})}`),
};

/** A data folder as the app leaves it: register, documents, backups, logs, settings, key, Chromium's lock. */
function populate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(join(dir, 'vigie.sqlite3'));
  const insert = db.prepare('INSERT INTO suppliers (siren, name, sort_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < SUPPLIERS; i += 1) insert.run(String(100_000_000 + i), `Fournisseur ${i}`, `fournisseur ${i}`, '2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z');
  })();
  db.close();
  for (const name of ['ab', 'cd']) {
    fs.mkdirSync(join(dir, 'documents', name), { recursive: true });
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(400_000 + name.charCodeAt(0))]);
    fs.writeFileSync(join(dir, 'documents', name, `${createHash('sha256').update(bytes).digest('hex')}.pdf`), bytes);
  }
  fs.mkdirSync(join(dir, 'backups'));
  fs.copyFileSync(join(dir, 'vigie.sqlite3'), join(dir, 'backups', 'vigie-2026-11-27T02-00-00.000Z.sqlite3'));
  fs.mkdirSync(join(dir, 'logs'));
  fs.writeFileSync(join(dir, 'logs', 'vigie.log'), '{"level":"info","message":"started"}\n');
  createConfStore(dir).set('settings', { communeSiret: '13002526500013', apiEnvironment: 'staging' });
  fs.writeFileSync(join(dir, 'token.key'), randomBytes(32));
  fs.writeFileSync(join(dir, 'Local State'), '{"os_crypt":{"encrypted_key":"AAAA"}}');
  fs.symlinkSync('host-12345', join(dir, 'SingletonLock'));
}

/** Every data file under `dir` → its SHA-256 (the pointer, the move record and the lock left out). */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const rel = relative(dir, path).split('\\').join('/');
      if ([DATA_LOCATION_FILE, DATA_MOVE_FILE, 'SingletonLock'].includes(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else files[rel] = createHash('sha256').update(fs.readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return files;
}

function folder(options: { fs?: DataFolderFs } = {}): DataFolder {
  return new DataFolder({ defaultDir, logger, ...options, now: () => new Date('2026-12-01T09:00:00Z') });
}

function countSuppliersIn(dir: string): number {
  const db = openDatabase(join(dir, 'vigie.sqlite3'));
  try {
    return (db.prepare('SELECT count(*) AS n FROM suppliers').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function errorWithCode(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real fs, with some functions replaced. */
function faultyFs(overrides: Partial<Record<keyof DataFolderFs, unknown>>): DataFolderFs {
  return { ...fs, ...overrides } as DataFolderFs;
}

/**
 * A process that dies: from the moment `trigger` says so, every fs call fails, including the
 * clean-up and the bookkeeping, so the disk stays exactly as the crash left it.
 */
function crashingFs(trigger: (name: keyof DataFolderFs, args: unknown[]) => boolean): DataFolderFs {
  let dead = false;
  const wrapped: Record<string, unknown> = {};
  for (const name of Object.keys(fs) as (keyof typeof fs)[]) {
    const original = fs[name];
    if (typeof original !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      if (!dead && trigger(name as keyof DataFolderFs, args)) dead = true;
      if (dead) throw new Error('process killed');
      return (original as (...a: unknown[]) => unknown)(...args);
    };
  }
  return wrapped as unknown as DataFolderFs;
}

/** Runs until the simulated process dies; what happens after that is never written to disk. */
function crash(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof Error && error.message === 'process killed')) throw error;
  }
}

/** Nothing lost, nothing half-moved: the data where it was, no copy, no temporary folder, no pointer. */
function expectUntouched(original: Record<string, string>): void {
  expect(snapshot(defaultDir)).toEqual(original);
  expect(countSuppliersIn(defaultDir)).toBe(SUPPLIERS);
  expect(fs.existsSync(join(defaultDir, DATA_LOCATION_FILE))).toBe(false);
  expect(fs.existsSync(join(disk, 'Vigie'))).toBe(false);
  expect(fs.existsSync(join(disk, STAGING_FOLDER_NAME))).toBe(false);
  expect(folder().current()).toBe(defaultDir);
}

beforeEach(() => {
  root = fs.mkdtempSync(join(tmpdir(), 'vigie-data-folder-'));
  defaultDir = join(root, 'config', 'Vigie');
  disk = join(root, 'disque-partage');
  fs.mkdirSync(disk);
  populate(defaultDir);
  lines.length = 0;
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a full move', () => {
  it('moves everything to <chosen>/Vigie at the next start, verified, then back to the default folder', () => {
    const original = snapshot(defaultDir);
    expect(Object.keys(original)).toEqual(
      expect.arrayContaining(['vigie.sqlite3', 'backups/vigie-2026-11-27T02-00-00.000Z.sqlite3', 'logs/vigie.log', 'vigie-settings.json', 'token.key', 'Local State']),
    );
    const scheduled = folder().scheduleMove(disk);
    expect(scheduled.target).toBe(join(disk, 'Vigie'));
    expect(folder().view()).toMatchObject({ current: defaultDir, isDefault: true, pendingMove: join(disk, 'Vigie'), lastMoveOutcome: null });
    // nothing moves before the restart
    expect(fs.existsSync(join(disk, 'Vigie'))).toBe(false);

    const startup = folder().prepareAtStartup();
    const moved = join(disk, 'Vigie');
    expect(startup).toEqual({ status: 'ready', dataDir: moved, moved: true });
    expect(snapshot(moved)).toEqual(original);
    expect(fs.existsSync(join(moved, 'SingletonLock'))).toBe(false);
    expect(countSuppliersIn(moved)).toBe(SUPPLIERS);
    expect(createConfStore(moved).get('settings')).toEqual({ communeSiret: '13002526500013', apiEnvironment: 'staging' });
    expect(JSON.parse(fs.readFileSync(join(defaultDir, DATA_LOCATION_FILE), 'utf8'))).toEqual({ dataDir: moved });
    expect(fs.existsSync(join(disk, STAGING_FOLDER_NAME))).toBe(false);
    // the previous copy stays until the app has opened the database in its new place
    expect(snapshot(defaultDir)).toEqual(original);
    folder().confirmStarted(moved);
    expect(fs.readdirSync(defaultDir).sort()).toEqual([DATA_LOCATION_FILE, DATA_MOVE_FILE, 'SingletonLock'].sort());

    const view = folder().view();
    expect(view).toMatchObject({ current: moved, default: defaultDir, isDefault: false, pendingMove: null });
    expect(view.lastMoveOutcome).toMatchObject({ status: 'success', from: defaultDir, to: moved });
    expect(view.lastMoveOutcome?.message).toBe(`Les données de Vigie ont été déplacées dans ${moved} : 8 fichiers copiés et vérifiés.`);

    // and back
    folder().scheduleMove('default');
    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: defaultDir, moved: true });
    expect(fs.existsSync(join(defaultDir, DATA_LOCATION_FILE))).toBe(false);
    expect(snapshot(defaultDir)).toEqual(original);
    folder().confirmStarted(defaultDir);
    expect(fs.existsSync(moved)).toBe(false);
    expect(countSuppliersIn(defaultDir)).toBe(SUPPLIERS);
    expect(folder().view()).toMatchObject({ current: defaultDir, isDefault: true });
  });

  it('a cancelled move does not happen', () => {
    folder().scheduleMove(disk);
    folder().cancelPendingMove();
    expect(folder().view().pendingMove).toBeNull();
    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: defaultDir, moved: false });
    expect(fs.existsSync(join(disk, 'Vigie'))).toBe(false);
  });
});

describe('failures while moving: nothing lost, nothing half-moved', () => {
  it('disk full in the middle of the copy', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    // the target disk fills up at the fourth file; the default folder's disk is fine
    let copies = 0;
    const onTarget = new Set<number>();
    const full = faultyFs({
      openSync: (path: fs.PathLike, flags: string) => {
        const fd = fs.openSync(path, flags);
        if (flags === 'wx' && String(path).includes(STAGING_FOLDER_NAME)) {
          copies += 1;
          onTarget.add(fd);
        }
        return fd;
      },
      writeSync: (fd: number, buffer: Buffer, offset?: number, length?: number) => {
        if (copies >= 4 && onTarget.has(fd)) throw errorWithCode('ENOSPC');
        return fs.writeSync(fd, buffer, offset, length);
      },
    });
    expect(folder({ fs: full }).prepareAtStartup()).toEqual({ status: 'ready', dataDir: defaultDir, moved: false });
    expect(copies).toBe(4);
    expectUntouched(original);
    const outcome = folder().view().lastMoveOutcome;
    expect(outcome?.status).toBe('failure');
    expect(outcome?.message).toBe(
      `Le déplacement des données vers ${join(disk, 'Vigie')} n’a pas eu lieu : le disque de destination est plein, la copie s’est arrêtée. Vos données sont restées dans ${defaultDir}, rien n’a été perdu.`,
    );
    expect(folder().view().pendingMove).toBeNull();
    expect(lines.join('\n')).toContain('ENOSPC');
  });

  it('rename into place refused (EACCES)', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    const refusing = faultyFs({
      renameSync: (from: fs.PathLike, to: fs.PathLike) => {
        if (String(from).endsWith(STAGING_FOLDER_NAME)) throw errorWithCode('EACCES');
        fs.renameSync(from, to);
      },
    });
    expect(folder({ fs: refusing }).prepareAtStartup().status).toBe('ready');
    expectUntouched(original);
    expect(folder().view().lastMoveOutcome?.message).toContain('Vigie n’a pas eu le droit d’écrire ou de renommer dans le dossier de destination.');
  });

  it('a copy that does not match the original is refused', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    // a disk that silently flips a byte of what is written
    const flipping = faultyFs({
      writeSync: (fd: number, buffer: Buffer | string, offset?: number, length?: number) => {
        if (typeof buffer === 'string') return fs.writeSync(fd, buffer);
        const copy = Buffer.from(buffer.subarray(offset ?? 0, (offset ?? 0) + (length ?? buffer.length)));
        if (copy.length > 1000) copy[500] = (copy[500] ?? 0) ^ 0xff;
        return fs.writeSync(fd, copy);
      },
    });
    expect(folder({ fs: flipping }).prepareAtStartup().status).toBe('ready');
    expectUntouched(original);
    expect(folder().view().lastMoveOutcome?.message).toMatch(/la copie du fichier .+ ne correspond pas à l’original\./);
  });

  it('a copied database that fails integrity_check is refused', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    const checked: string[] = [];
    const damaged = new DataFolder({ defaultDir, logger, checkDatabase: (path) => (checked.push(path), ['*** in database main ***\nPage 3: btreeInitPage() returns error code 11']) });
    expect(damaged.prepareAtStartup().status).toBe('ready');
    expect(checked).toEqual([join(disk, STAGING_FOLDER_NAME, 'vigie.sqlite3')]);
    expectUntouched(original);
    expect(folder().view().lastMoveOutcome?.message).toContain('la copie du registre n’a pas passé la vérification d’intégrité.');
  });

  it('a crash while copying: the next start removes the partial copy', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    let copies = 0;
    const dying = crashingFs((name, args) => name === 'openSync' && args[1] === 'wx' && String(args[0]).includes(STAGING_FOLDER_NAME) && ++copies === 5);
    crash(() => folder({ fs: dying }).prepareAtStartup());
    expect(fs.existsSync(join(disk, STAGING_FOLDER_NAME))).toBe(true);

    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: defaultDir, moved: false });
    expectUntouched(original);
    expect(folder().view().lastMoveOutcome?.message).toContain('le déplacement a été interrompu');
  });

  it('a crash between the copy and the pointer: the next start finds the leftover folder and removes it', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    // dies as it is about to write the pointer: the verified copy is already renamed into place
    const dying = crashingFs((name, args) => name === 'openSync' && String(args[0]).includes(`${DATA_LOCATION_FILE}.`));
    crash(() => folder({ fs: dying }).prepareAtStartup());
    expect(fs.existsSync(join(disk, 'Vigie', 'vigie.sqlite3'))).toBe(true);
    expect(fs.existsSync(join(defaultDir, DATA_LOCATION_FILE))).toBe(false);

    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: defaultDir, moved: false });
    expectUntouched(original);
    // the interrupted move is not run again by itself
    expect(folder().view()).toMatchObject({ pendingMove: null, lastMoveOutcome: { status: 'failure' } });
  });

  it('a crash after the pointer was written: the next start completes the move’s record', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    let pointerWritten = false;
    const dying = crashingFs((name, args) => {
      if (name === 'renameSync' && String(args[1]).endsWith(DATA_LOCATION_FILE)) {
        pointerWritten = true;
        return false;
      }
      return pointerWritten && name === 'openSync' && String(args[0]).includes(`${DATA_MOVE_FILE}.`);
    });
    crash(() => folder({ fs: dying }).prepareAtStartup());
    const moved = join(disk, 'Vigie');
    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: moved, moved: false });
    expect(snapshot(moved)).toEqual(original);
    expect(folder().view().lastMoveOutcome?.status).toBe('success');
    folder().confirmStarted(moved);
    expect(fs.existsSync(join(defaultDir, 'vigie.sqlite3'))).toBe(false);
    expect(countSuppliersIn(moved)).toBe(SUPPLIERS);
  });

  it('a crash while bringing the data back to the default folder removes only what it placed there', () => {
    folder().scheduleMove(disk);
    folder().prepareAtStartup();
    const moved = join(disk, 'Vigie');
    folder().confirmStarted(moved);
    const original = snapshot(moved);
    folder().scheduleMove('default');
    let renames = 0;
    const dying = crashingFs((name, args) => name === 'renameSync' && String(args[0]).includes(STAGING_FOLDER_NAME) && ++renames === 3);
    crash(() => folder({ fs: dying }).prepareAtStartup());
    expect(fs.readdirSync(defaultDir).length).toBeGreaterThan(4);

    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: moved, moved: false });
    expect(fs.readdirSync(defaultDir).sort()).toEqual([DATA_LOCATION_FILE, DATA_MOVE_FILE, 'SingletonLock'].sort());
    expect(snapshot(moved)).toEqual(original);
  });
});

describe('refusals before anything is copied', () => {
  it('a folder inside the current one', () => {
    fs.mkdirSync(join(defaultDir, 'sous-dossier'));
    expect(() => folder().scheduleMove(join(defaultDir, 'sous-dossier'))).toThrow(
      `Choisissez un dossier en dehors du dossier actuel des données (${defaultDir}) : Vigie ne peut pas se copier dans lui-même.`,
    );
    expect(folder().view().pendingMove).toBeNull();
  });

  it('a non-empty Vigie folder there, and the folder already in use', () => {
    fs.mkdirSync(join(disk, 'Vigie'));
    fs.writeFileSync(join(disk, 'Vigie', 'autre.txt'), 'x');
    expect(() => folder().scheduleMove(disk)).toThrow(/contient déjà un dossier « Vigie » qui n’est pas vide/);
    expect(() => folder().scheduleMove('default')).toThrow('Les données de Vigie sont déjà dans ce dossier.');
    // an empty one is fine: it is replaced by the verified copy
    fs.rmSync(join(disk, 'Vigie', 'autre.txt'));
    expect(folder().scheduleMove(disk).target).toBe(join(disk, 'Vigie'));
    expect(folder().prepareAtStartup()).toMatchObject({ dataDir: join(disk, 'Vigie'), moved: true });
  });

  it('a folder without write access', () => {
    const readOnly = faultyFs({
      writeFileSync: (path: fs.PathOrFileDescriptor, data: string, options?: fs.WriteFileOptions) => {
        if (String(path).startsWith(disk)) throw errorWithCode('EACCES');
        fs.writeFileSync(path, data, options);
      },
    });
    expect(() => folder({ fs: readOnly }).scheduleMove(disk)).toThrow(
      `Vigie n’a pas le droit d’écrire dans le dossier ${disk}. Choisissez un dossier où vous pouvez enregistrer des fichiers, ou demandez ce droit au service informatique.`,
    );
  });

  it('not enough free space', () => {
    const small = faultyFs({ statfsSync: () => ({ ...fs.statfsSync(disk), bavail: 100, bsize: 4096 }) });
    expect(() => folder({ fs: small }).scheduleMove(disk)).toThrow(/^Il n’y a pas assez de place dans le dossier .+ : il faut \d+ Mo, il reste 1 Mo\.$/);
  });

  it('conditions checked again at start-up: a move that became impossible is not made, and says why', () => {
    const original = snapshot(defaultDir);
    folder().scheduleMove(disk);
    fs.mkdirSync(join(disk, 'Vigie'));
    fs.writeFileSync(join(disk, 'Vigie', 'arrivé-entre-temps.txt'), 'x');
    expect(folder().prepareAtStartup()).toEqual({ status: 'ready', dataDir: defaultDir, moved: false });
    expect(snapshot(defaultDir)).toEqual(original);
    expect(folder().view().lastMoveOutcome?.message).toContain('n’est pas vide');
  });

  it('a pointer to a folder that is not there: the start stops with an explanation', () => {
    fs.writeFileSync(join(defaultDir, DATA_LOCATION_FILE), JSON.stringify({ dataDir: join(root, 'lecteur-reseau', 'Vigie') }));
    const startup = folder().prepareAtStartup();
    expect(startup.status).toBe('unavailable');
    expect(startup.status === 'unavailable' && startup.message).toContain('Branchez le disque ou reconnectez le lecteur réseau');
  });
});
