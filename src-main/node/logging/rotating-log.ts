// Vigie's log files: JSON lines in `<user data>/logs/vigie.log`, rotated by size, every line
// redacted first. Writes are synchronous appends: the lines that matter most are the ones just
// before a crash, which an asynchronous queue would lose, and they stay in order across the
// process. A desktop app logs a few lines a minute, so the cost is negligible; each line is
// capped so that no single call blocks for long.
//
// A logger must never break what it logs: every failure (folder not creatable, disk full, file
// locked by a viewer on Windows) is swallowed, counted, and reported at most once a minute to
// `onInternalError`; writing resumes by itself when the disk accepts it again.
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger';
import { type Redactor, sharedRedactor } from './redaction';

export type LogLevel = 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 };

/** The file operations the log makes, injectable so that tests can fail them. */
export interface LogFs {
  mkdirSync(path: string, options: { recursive: true; mode: number }): void;
  openSync(path: string, flags: 'a', mode: number): number;
  writeSync(fd: number, data: string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  /** Size of the open file. */
  sizeOf(fd: number): number;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: true }): void;
}

export const nodeLogFs: LogFs = {
  mkdirSync: (path, options) => {
    mkdirSync(path, options);
  },
  openSync: (path, flags, mode) => openSync(path, flags, mode),
  writeSync: (fd, data) => writeSync(fd, data),
  fsyncSync: (fd) => fsyncSync(fd),
  closeSync: (fd) => closeSync(fd),
  sizeOf: (fd) => fstatSync(fd).size,
  renameSync: (from, to) => renameSync(from, to),
  rmSync: (path, options) => rmSync(path, options),
};

export interface RotatingLogOptions {
  /** Folder of the log files, created when missing (the app passes `<userData>/logs`). */
  dir: string;
  /** Default `vigie.log`; older files are `vigie.log.1` (newest) to `vigie.log.<maxFiles - 1>`. */
  fileName?: string;
  /** Size at which the file is rotated. Default 5 MiB. */
  maxBytes?: number;
  /** Files kept, the current one included. Default 5 (at most 25 MiB of logs). */
  maxFiles?: number;
  /** Lines below this level are dropped. Default `info`. */
  level?: LogLevel;
  /** Default `sharedRedactor`, where the app registers the current API token. */
  redactor?: Redactor;
  now?: () => Date;
  /** Also receives every (already redacted) line: stderr in development. */
  echo?: (line: string) => void;
  /** Told, at most once a minute, when the log cannot write; the default says nothing. */
  onInternalError?: (error: unknown) => void;
  fs?: LogFs;
}

/** A line longer than this is cut: one runaway field must not fill the file nor block the process. */
export const MAX_LINE_BYTES = 64 * 1024;
const REPORT_INTERVAL_MS = 60_000;
const RETRY_ROTATION_AFTER_MS = 60_000;
const RESERVED = new Set(['at', 'level', 'message']);

export interface RotatingLogStats {
  written: number;
  /** Lines lost because the disk refused them (or the log was closed). */
  dropped: number;
  rotations: number;
}

export class RotatingLog implements Logger {
  readonly path: string;
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly minRank: number;
  private readonly redactor: Redactor;
  private readonly now: () => Date;
  private readonly fs: LogFs;
  private fd: number | null = null;
  private size = 0;
  private closed = false;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private rotationBlockedUntil = Number.NEGATIVE_INFINITY;
  readonly stats: RotatingLogStats = { written: 0, dropped: 0, rotations: 0 };

  constructor(private readonly options: RotatingLogOptions) {
    this.dir = options.dir;
    this.path = join(options.dir, options.fileName ?? 'vigie.log');
    this.maxBytes = Math.max(1024, options.maxBytes ?? 5 * 1024 * 1024);
    this.maxFiles = Math.max(1, Math.floor(options.maxFiles ?? 5));
    this.minRank = LEVEL_RANK[options.level ?? 'info'];
    this.redactor = options.redactor ?? sharedRedactor;
    this.now = options.now ?? (() => new Date());
    this.fs = options.fs ?? nodeLogFs;
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  /** The line as it goes to disk (redacted, one JSON object, no newline). Exposed for tests and the echo. */
  format(level: LogLevel, message: unknown, fields?: Record<string, unknown>): string {
    const redacted = this.redactor.redactFields(fields);
    const record: Record<string, unknown> = {
      at: this.safeNow(),
      level,
      message: typeof message === 'string' ? this.redactor.redactText(message) : this.redactor.redactValue(message),
    };
    // a field named like the envelope must not overwrite it (a forged level or date)
    for (const [key, value] of Object.entries(redacted)) record[RESERVED.has(key) ? `field.${key}` : key] = value;
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      line = JSON.stringify({ at: record.at, level, message: record.message, fields: '[unserialisable]' });
    }
    if (Buffer.byteLength(line, 'utf8') > MAX_LINE_BYTES) {
      line = JSON.stringify({
        at: record.at,
        level,
        message: String(record.message).slice(0, 1_000),
        truncated: `line of ${Buffer.byteLength(line, 'utf8')} bytes cut to its message`,
      });
    }
    return line;
  }

  /** Pushes what the system holds to the disk. Never throws. */
  flush(): void {
    if (this.fd === null) return;
    try {
      this.fs.fsyncSync(this.fd);
    } catch (error) {
      this.report(error);
    }
  }

  /** Flushes and closes the file; later lines are dropped (and counted). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closeFile();
    this.closed = true;
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LEVEL_RANK[level] < this.minRank) return;
    let line: string;
    try {
      line = `${this.format(level, message, fields)}\n`;
    } catch (error) {
      this.stats.dropped += 1;
      this.report(error);
      return;
    }
    if (this.options.echo) {
      try {
        this.options.echo(line.slice(0, -1));
      } catch {
        // an echo that fails (a closed stderr) must not cost the file its line
      }
    }
    if (this.closed) {
      this.stats.dropped += 1;
      return;
    }
    try {
      const bytes = Buffer.byteLength(line, 'utf8');
      this.open();
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      // a file that cannot be rotated (held open on Windows) still must not grow without end
      if (this.size > 0 && this.size + bytes > this.maxBytes * 2) throw Object.assign(new Error('log file over twice its limit, rotation failing'), { code: 'EFBIG' });
      const fd = this.open();
      this.fs.writeSync(fd, line);
      this.size += bytes;
      this.stats.written += 1;
    } catch (error) {
      this.stats.dropped += 1;
      this.report(error);
      // the next line reopens the file: the disk may have room again, the folder may be back
      this.closeFile();
    }
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    this.fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const fd = this.fs.openSync(this.path, 'a', 0o600);
    try {
      this.size = this.fs.sizeOf(fd);
    } catch {
      this.size = 0;
    }
    this.fd = fd;
    return fd;
  }

  /** vigie.log.(n-2) → .(n-1), …, vigie.log → vigie.log.1; the oldest beyond maxFiles is removed. */
  private rotate(): void {
    const nowMs = this.safeNowMs();
    if (nowMs < this.rotationBlockedUntil) return;
    this.closeFile();
    try {
      if (this.maxFiles === 1) {
        this.fs.rmSync(this.path, { force: true });
      } else {
        this.fs.rmSync(`${this.path}.${this.maxFiles - 1}`, { force: true });
        for (let index = this.maxFiles - 2; index >= 1; index -= 1) {
          try {
            this.fs.renameSync(`${this.path}.${index}`, `${this.path}.${index + 1}`);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          }
        }
        this.fs.renameSync(this.path, `${this.path}.1`);
      }
      this.stats.rotations += 1;
    } catch (error) {
      // keep appending to the current file and try again later, rather than on every line
      this.rotationBlockedUntil = nowMs + RETRY_ROTATION_AFTER_MS;
      this.report(error);
    }
    this.open();
  }

  private closeFile(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      this.fs.closeSync(fd);
    } catch {
      // already gone: nothing more to do
    }
  }

  private report(error: unknown): void {
    const nowMs = this.safeNowMs();
    if (nowMs - this.lastReportAt < REPORT_INTERVAL_MS) return;
    this.lastReportAt = nowMs;
    try {
      this.options.onInternalError?.(error);
    } catch {
      // the reporter failing is the end of the line
    }
  }

  private safeNow(): string {
    try {
      return this.now().toISOString();
    } catch {
      return new Date().toISOString();
    }
  }

  private safeNowMs(): number {
    try {
      return this.now().getTime();
    } catch {
      return Date.now();
    }
  }
}

/** One logger that hands each line to several (the file and, in development, stderr). */
export function teeLogger(...loggers: Logger[]): Logger {
  const each = (call: (logger: Logger) => void) => {
    for (const logger of loggers) {
      try {
        call(logger);
      } catch {
        // one failing logger must not silence the others, nor the caller
      }
    }
  };
  return {
    info: (message, fields) => each((logger) => logger.info(message, fields)),
    warn: (message, fields) => each((logger) => logger.warn(message, fields)),
    error: (message, fields) => each((logger) => logger.error(message, fields)),
  };
}

/** Wraps a logger (stderr in the CLI) so that what it receives is redacted first. */
export function redactingLogger(inner: Logger, redactor: Redactor = sharedRedactor): Logger {
  const pass = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    try {
      inner[level](redactor.redactText(String(message)), redactor.redactFields(fields));
    } catch {
      // a logger never throws into its caller
    }
  };
  return { info: pass('info'), warn: pass('warn'), error: pass('error') };
}
