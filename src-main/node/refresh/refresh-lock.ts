// One refresh at a time per register, across processes: the desktop app, `npm run cli -- refresh`
// and `Vigie --headless-refresh` would otherwise each use the whole API rate limits on the same
// token (429s, and a 12-hour IP ban when they pile up). The lock is a file next to the database,
// created exclusively ('wx'), holding who took it and a heartbeat refreshed while it is held. A
// lock whose process is gone (same computer) or whose heartbeat stopped is stale and taken over.
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { UserFacingError } from '../user-facing-error';

/** Who holds the lock, as the refusal message tells it. */
export type RefreshLockHolderKind = 'app' | 'cli' | 'headless';

export interface RefreshLockContent {
  pid: number;
  hostname: string;
  kind: RefreshLockHolderKind;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of the latest heartbeat. */
  heartbeatAt: number;
  /** Tells this holder's file from a later one (pids are reused). */
  nonce: string;
}

export interface RefreshLockOptions {
  kind?: RefreshLockHolderKind;
  /** How often the heartbeat is written (30 s by default). */
  heartbeatMs?: number;
  /** A heartbeat older than this makes the lock stale (3 minutes by default). */
  staleAfterMs?: number;
  /** Wall clock (the lock is shared between processes: never a test's virtual clock by default). */
  now?: () => number;
  /** The lock was taken over by another process while held (its heartbeat stopped for too long). */
  onLost?: (holder: RefreshLockContent | null) => void;
}

export const REFRESH_LOCK_HEARTBEAT_MS = 30_000;
export const REFRESH_LOCK_STALE_AFTER_MS = 3 * 60_000;

/** The French message the app shows when a command line or a scheduled task holds the lock. */
export const REFRESH_LOCKED_MESSAGE = 'Une mise à jour est déjà en cours sur ce registre (ligne de commande ou tâche planifiée).';

/** Thrown when another live process holds the lock. `userMessage` is French. */
export class RefreshLockedError extends Error {
  readonly userMessage: string;
  constructor(
    readonly lockPath: string,
    readonly holder: RefreshLockContent | null,
  ) {
    super(`refresh lock ${lockPath} held by ${holder ? `pid ${holder.pid} on ${holder.hostname} (${holder.kind})` : 'another process'}`);
    this.name = 'RefreshLockedError';
    this.userMessage = refreshLockedMessage(holder);
  }
}

/** French, for whoever is refused: says who runs the refresh. */
export function refreshLockedMessage(holder: RefreshLockContent | null): string {
  if (holder?.kind === 'app') {
    return `Une mise à jour est déjà en cours sur ce registre dans Vigie (processus n° ${holder.pid} sur ${holder.hostname}) : attendez sa fin ou mettez-la en pause dans Vigie.`;
  }
  return REFRESH_LOCKED_MESSAGE;
}

/** The lock file of a database, or null for an in-memory one (nothing to share). */
export function refreshLockPath(databaseFile: string): string | null {
  if (databaseFile === '' || databaseFile === ':memory:' || databaseFile.startsWith('file::memory:')) return null;
  return `${databaseFile}.refresh-lock`;
}

/**
 * Refuses, in French, to replace the whole register (restore, transfer import) while another
 * process refreshes it: that process would go on writing into the register being replaced.
 * This process's own refresh is closed with the register, so it does not count.
 */
export function assertNoOtherProcessRefreshing(databaseFile: string, action: string): void {
  const path = refreshLockPath(databaseFile);
  const holder = path ? RefreshLock.holder(path) : null;
  if (!holder || (holder.pid === process.pid && holder.hostname === osHostname())) return;
  throw new UserFacingError('bad-input', `${REFRESH_LOCKED_MESSAGE} ${action}`);
}

/** Reads a lock file; null when absent, null content when unreadable (being written). */
function readLock(path: string): { content: RefreshLockContent | null; mtimeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<RefreshLockContent>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' && typeof parsed.heartbeatAt === 'number' && typeof parsed.nonce === 'string') {
      return { content: parsed as RefreshLockContent, mtimeMs };
    }
  } catch {
    // empty or half-written: judged by the file's age below
  }
  return { content: null, mtimeMs };
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists, under another user
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a lock found on disk may be taken over. */
export function isStale(found: { content: RefreshLockContent | null; mtimeMs: number }, now: number, staleAfterMs: number, host = osHostname()): boolean {
  const { content } = found;
  if (!content) return now - found.mtimeMs > staleAfterMs;
  if (content.hostname === host && processGone(content.pid)) return true;
  return now - content.heartbeatAt > staleAfterMs;
}

// locks held by this process, removed on exit (a crash leaves them; the next holder finds them stale)
const heldLocks = new Set<RefreshLock>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const lock of [...heldLocks]) lock.release();
  });
}

export class RefreshLock {
  private readonly nonce = randomUUID();
  private timer: ReturnType<typeof setInterval> | null = null;
  private content: RefreshLockContent | null = null;

  private constructor(
    readonly path: string,
    private readonly options: Required<Omit<RefreshLockOptions, 'onLost'>> & Pick<RefreshLockOptions, 'onLost'>,
  ) {}

  /** Takes the lock or throws RefreshLockedError; a stale lock is taken over. */
  static acquire(path: string, options: RefreshLockOptions = {}): RefreshLock {
    const lock = new RefreshLock(path, {
      kind: options.kind ?? 'app',
      heartbeatMs: options.heartbeatMs ?? REFRESH_LOCK_HEARTBEAT_MS,
      staleAfterMs: options.staleAfterMs ?? REFRESH_LOCK_STALE_AFTER_MS,
      now: options.now ?? Date.now,
      onLost: options.onLost,
    });
    lock.take();
    return lock;
  }

  /** Reads who holds the lock at `path`, or null when nobody (or only a stale holder) does. */
  static holder(path: string, options: Pick<RefreshLockOptions, 'now' | 'staleAfterMs'> = {}): RefreshLockContent | null {
    const found = readLock(path);
    if (!found) return null;
    if (isStale(found, (options.now ?? Date.now)(), options.staleAfterMs ?? REFRESH_LOCK_STALE_AFTER_MS)) return null;
    return found.content;
  }

  get held(): boolean {
    return this.content !== null;
  }

  /** Removes the lock file if it is still this holder's. Idempotent. */
  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    heldLocks.delete(this);
    if (!this.content) return;
    this.content = null;
    try {
      if (readLock(this.path)?.content?.nonce === this.nonce) unlinkSync(this.path);
    } catch {
      // gone already, or the folder with it: nothing to release
    }
  }

  private take(): void {
    const now = this.options.now();
    const content: RefreshLockContent = { pid: process.pid, hostname: osHostname(), kind: this.options.kind, startedAt: now, heartbeatAt: now, nonce: this.nonce };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        writeFileSync(this.path, JSON.stringify(content), { flag: 'wx' });
        this.markHeld(content);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const found = readLock(this.path);
      if (!found) continue; // released meanwhile
      if (!isStale(found, this.options.now(), this.options.staleAfterMs)) throw new RefreshLockedError(this.path, found.content);
      this.removeStale(found.content);
    }
    throw new RefreshLockedError(this.path, readLock(this.path)?.content ?? null);
  }

  /**
   * Moves the stale file aside (atomic: of two processes taking it over, one only succeeds) and
   * checks that what moved is the file judged stale, not a fresh lock created in between.
   */
  private removeStale(judged: RefreshLockContent | null): void {
    const aside = `${this.path}.${this.nonce}.stale`;
    try {
      renameSync(this.path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const moved = readLock(aside)?.content ?? null;
    if (judged !== null && moved?.nonce !== judged.nonce) {
      // a fresh lock was moved: put it back unless yet another one exists
      try {
        linkSync(aside, this.path);
      } catch {
        // EEXIST: a holder is there already, the next attempt sees it
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // already gone
    }
  }

  private markHeld(content: RefreshLockContent): void {
    this.content = content;
    heldLocks.add(this);
    installExitHook();
    this.timer = setInterval(() => this.beat(), this.options.heartbeatMs);
    // a held lock must not keep a finished CLI alive
    this.timer.unref();
  }

  /** Refreshes the heartbeat, or reports the lock lost when another process took it over. */
  beat(): void {
    if (!this.content) return;
    let found: ReturnType<typeof readLock>;
    try {
      found = readLock(this.path);
    } catch {
      return; // unreadable for now: the next beat tries again
    }
    if (found?.content?.nonce !== this.nonce) {
      // a half-written file is a new holder's (ours is never rewritten in place)
      const holder = found?.content ?? null;
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      heldLocks.delete(this);
      this.content = null;
      this.options.onLost?.(holder);
      return;
    }
    this.content = { ...this.content, heartbeatAt: this.options.now() };
    // written aside then renamed: a reader never sees a half-written heartbeat
    const next = `${this.path}.${this.nonce}.beat`;
    try {
      writeFileSync(next, JSON.stringify(this.content));
      renameSync(next, this.path);
    } catch {
      try {
        unlinkSync(next);
      } catch {
        // not created
      }
    }
  }
}
