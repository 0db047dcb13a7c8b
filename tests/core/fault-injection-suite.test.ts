// Issue #7, item 2, end to end: every fault of the list, through the real client (createApiClient),
// the fake API, the content-addressed document store and the register database. The single-layer
// cases live in api-client, document-download, document-store and fake-api-faults tests; here each
// case starts from a good URSSAF attestation already stored (rows and PDF), injects the fault,
// runs the same refresh step the engine runs (call, then RegisterWriter in one transaction, or
// writeFailure), and checks the three promises: a typed error or a retried success, the previous
// good data intact (rows, document row, PDF bytes), and nothing half-written (no temporary file,
// no stray row). The call journal records every attempt, and never the token.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiCallResult } from '../../src-main/node/api-entreprise/api-client';
import { ApiEntrepriseError, type ApiErrorKind } from '../../src-main/node/api-entreprise/api-error';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import { systemClock, type Clock } from '../../src-main/node/clock';
import { importSuppliersCsv } from '../../src-main/node/csv/csv-import';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';
import { downloadDocument } from '../../src-main/node/documents/document-download';
import { DocumentStore, nodeStoreFs, type DocumentStoreFs } from '../../src-main/node/documents/document-store';
import { startFakeApi, type FakeApiHandle, type FakeApiOptions } from '../../src-main/node/fake-api/fake-api-server';
import { CallJournal } from '../../src-main/node/journal/call-journal';
import { RegisterWriter } from '../../src-main/node/refresh/register-writer';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { checkDatabaseAtStartup } from '../../src-main/node/safety/database-integrity';
import { makeSiret } from '../support/identifiers-fixture';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ENDPOINT = 'urssaf.attestation_vigilance' as const;
const COMMUNE = '13002526500013';
// the client's timeout of an API call (URSSAF's is of the `document` class); downloads get 2 s
const CALL_TIMEOUT_MS = 300;
const SLOW_MS = 500;
const STORED_PATH = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.(pdf|zip)$/;

/** The fake API and its knobs; one per option set, shared by the tests that use it. */
async function fakeApi(options: FakeApiOptions = {}): Promise<FakeApiHandle & { shiftClock(ms: number): void }> {
  let offset = 0;
  const handle = await startFakeApi({
    seed: 'fault-suite',
    companyCount: 200,
    slowMs: SLOW_MS,
    providerRetryInSeconds: 0,
    // past the client's 20 MiB document cap, and the 5 MiB JSON cap
    hugeBodyBytes: 24 * 1024 * 1024,
    now: () => Date.now() + offset,
    ...options,
  });
  return Object.assign(handle, {
    shiftClock: (ms: number) => {
      offset += ms;
    },
  });
}

/** A register, a document store and a client, as the app assembles them, for one test. */
interface Bench {
  dir: string;
  documentsRoot: string;
  db: VigieDatabase;
  writer: RegisterWriter;
  journal: CallJournal;
  token: string;
  siren: string;
  supplierId: number;
  runId: number;
  /** Every HTTP request the client sent (documents included), as `GET path` without query. */
  requests: string[];
  disk: { full: boolean };
  /** Called after each answer of an API path, before the client reads it. */
  afterApiAnswer: { hook: (() => void) | null };
  refresh(options?: { bypassCache?: boolean }): Promise<{ ok: true; result: ApiCallResult } | { ok: false; error: ApiEntrepriseError }>;
  close(): void;
}

async function bench(api: FakeApiHandle, clock: Clock = systemClock): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-faults-'));
  const documentsRoot = join(dir, 'documents');
  const db = openDatabase(join(dir, 'vigie.sqlite3'));
  const subject = api.companies.example('urssaf_ok');
  const supplierId = Number(
    (db.prepare('INSERT INTO suppliers (siren, siret, name, sort_name, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, ?)').run(
      subject.siren,
      'Fournisseur témoin',
      'fournisseur temoin',
      '2026-11-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    )).lastInsertRowid,
  );
  const runId = Number(
    db.prepare("INSERT INTO refresh_runs (trigger, state, started_at) VALUES ('fault-suite', 'running', ?)").run(new Date().toISOString()).lastInsertRowid,
  );
  const writer = new RegisterWriter(db);
  const journal = new CallJournal(db);
  const token = api.mintToken();
  const requests: string[] = [];
  const disk = { full: false };
  const afterApiAnswer: Bench['afterApiAnswer'] = { hook: null };

  // the real file system, but a disk that can be full: a partial write then ENOSPC
  const fs: DocumentStoreFs = {
    ...nodeStoreFs,
    async open(path, flags, mode) {
      const handle = await nodeStoreFs.open(path, flags, mode);
      if (flags !== 'wx') return handle;
      return {
        async write(buffer, offset, length, position) {
          if (!disk.full) return handle.write(buffer, offset, length, position);
          if (offset === 0 && length > 16) return handle.write(buffer, 0, 16, position);
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
  const store = new DocumentStore({ root: documentsRoot, fs });
  const transport = async (url: string, init: RequestInit) => {
    requests.push(`GET ${new URL(url).pathname}`);
    const response = await fetch(url, init);
    if (new URL(url).pathname.startsWith('/v')) afterApiAnswer.hook?.();
    return response;
  };
  const { client } = createApiClient({
    baseUrl: api.url,
    transport,
    tokenProvider: () => token,
    defaults: { recipient: COMMUNE, context: 'Gestion d’un référentiel tiers', object: 'Tests de pannes' },
    clock,
    overrides: {
      timeoutsMs: { json: CALL_TIMEOUT_MS, document: CALL_TIMEOUT_MS },
      // full jitter drawn at its ceiling: 250 ms then 500 ms, so that a retry after a timeout comes
      // once the fake has finished its slow answer (else it answers 409 to the duplicate, as the real one does)
      retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 2_000 },
      random: () => 1,
      onAttempt: (record) => journal.record(record, runId),
      fetchDocument: ({ endpoint, url, expiresAt, accept, signal }) =>
        downloadDocument({ url, expiresAt, accept, transport, store, now: () => clock.now(), signal, endpoint, timeoutMs: 2_000 }),
    },
  });

  return {
    dir,
    documentsRoot,
    db,
    writer,
    journal,
    token,
    siren: subject.siren,
    supplierId,
    runId,
    requests,
    disk,
    afterApiAnswer,
    async refresh(options = {}) {
      const at = Date.now();
      try {
        const result = await client.call(ENDPOINT, subject.siren, options);
        db.transaction(() => writer.writeSuccess({ runId, jobId: null, supplierId, endpoint: ENDPOINT, identifier: subject.siren, at }, result))();
        return { ok: true, result };
      } catch (error) {
        // anything but a typed error fails the test here
        if (!(error instanceof ApiEntrepriseError)) throw error;
        writer.writeFailure({ endpoint: ENDPOINT, identifier: subject.siren, at }, error.kind, error.userMessage);
        return { ok: false, error };
      }
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Snapshot {
  attestations: Record<string, unknown>[];
  documents: Record<string, unknown>[];
  /** stored path -> sha256 of the bytes on disk */
  files: Record<string, string>;
}

function snapshot(b: Bench): Snapshot {
  const files: Record<string, string> = {};
  if (existsSync(b.documentsRoot)) {
    for (const entry of readdirSync(b.documentsRoot, { recursive: true, encoding: 'utf8' })) {
      const path = join(b.documentsRoot, entry);
      if (statSync(path).isFile()) files[entry.split('\\').join('/')] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  }
  return {
    attestations: b.db.prepare('SELECT id, siren, kind, status, valid_until, document_id, security_code FROM attestations ORDER BY id').all() as Record<string, unknown>[],
    documents: b.db.prepare('SELECT id, sha256, size_bytes, stored_path FROM documents ORDER BY id').all() as Record<string, unknown>[],
    files,
  };
}

/** Nothing half-written: every file of the store is a complete document under its own hash, and the register is sound. */
function expectNothingHalfWritten(b: Bench): void {
  const { files } = snapshot(b);
  for (const [path, sha] of Object.entries(files)) {
    expect(path).toMatch(STORED_PATH);
    expect(path).toContain(sha);
    expect(readFileSync(join(b.documentsRoot, path)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }
  const rows = b.db.prepare('SELECT stored_path FROM documents').pluck().all() as string[];
  for (const path of rows) expect(files[path], `documents row without its file: ${path}`).toBeDefined();
  expect(b.db.prepare('PRAGMA quick_check').pluck().all()).toEqual(['ok']);
  expect(b.db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
}

/** The good attestation stored before the fault is still there, unchanged, with its PDF. */
function expectPreviousIntact(b: Bench, before: Snapshot): void {
  const after = snapshot(b);
  expect(after.attestations.slice(0, before.attestations.length)).toEqual(before.attestations);
  expect(after.documents.slice(0, before.documents.length)).toEqual(before.documents);
  for (const [path, sha] of Object.entries(before.files)) expect(after.files[path]).toBe(sha);
}

const status = (b: Bench) =>
  b.db.prepare('SELECT last_success_at, last_error_kind, consecutive_failures FROM refresh_status WHERE endpoint = ? AND identifier = ?').get(ENDPOINT, b.siren) as
    | { last_success_at: string | null; last_error_kind: string | null; consecutive_failures: number }
    | undefined;
const journalOutcomes = (b: Bench) => b.db.prepare('SELECT outcome FROM call_journal ORDER BY id').pluck().all() as string[];

/** A good attestation stored, then the fault, then the checks of the case. */
async function afterGoodAttestation(
  b: Bench,
  inject: () => void,
  options: { bypassCache?: boolean } = {},
): Promise<{ before: Snapshot; outcome: Awaited<ReturnType<Bench['refresh']>>; journalFrom: number }> {
  const first = await b.refresh();
  expect(first.ok).toBe(true);
  const before = snapshot(b);
  expect(before.attestations).toHaveLength(1);
  expect(before.documents).toHaveLength(1);
  expect(Object.keys(before.files)).toHaveLength(1);
  const journalFrom = journalOutcomes(b).length;
  inject();
  const outcome = await b.refresh(options);
  expectPreviousIntact(b, before);
  expectNothingHalfWritten(b);
  return { before, outcome, journalFrom };
}

function expectTypedFailure(b: Bench, outcome: Awaited<ReturnType<Bench['refresh']>>, kind: ApiErrorKind, before: Snapshot): ApiEntrepriseError {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) throw new Error('unreachable');
  expect(outcome.error.kind).toBe(kind);
  expect(outcome.error.userMessage).toMatch(/^[A-ZÀ-Ý]/);
  // a failure adds nothing to the data: same rows, same documents, same files
  expect(snapshot(b)).toEqual(before);
  expect(status(b)).toMatchObject({ last_error_kind: kind, consecutive_failures: 1 });
  expect(status(b)?.last_success_at).not.toBeNull();
  return outcome.error;
}

function expectRetriedSuccess(b: Bench, outcome: Awaited<ReturnType<Bench['refresh']>>, attempts: number, journalFrom: number, failures: string[]): void {
  expect(outcome.ok).toBe(true);
  if (!outcome.ok) throw new Error('unreachable');
  expect(outcome.result.attempts).toBe(attempts);
  expect(outcome.result.document?.storedPath).toMatch(STORED_PATH);
  expect(snapshot(b).attestations).toHaveLength(2);
  expect(journalOutcomes(b).slice(journalFrom)).toEqual([...failures, 'ok']);
}

let api: Awaited<ReturnType<typeof fakeApi>>;
let b: Bench;
beforeAll(async () => {
  api = await fakeApi();
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  api.faults.clear();
  api.resetLimits();
  b = await bench(api);
});
afterEach(() => {
  // the token is never in the register, whatever happened
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  expect(readFileSync(join(b.dir, 'vigie.sqlite3')).includes(Buffer.from(b.token.split('.')[2] ?? 'x'))).toBe(false);
  b.close();
  api.faults.clear();
});

const API_ONLY = { requestKind: 'api' as const, endpoint: ENDPOINT };
const DOCUMENTS_ONLY = { requestKind: 'document' as const };

describe('timeouts', () => {
  it('one answer past the client timeout: retried to success', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => api.faults.forceNext('slow', 1, API_ONLY));
    expectRetriedSuccess(b, outcome, 2, journalFrom, ['timeout']);
  });

  it('a provider that never answers in time: a typed timeout after the retries', async () => {
    const { outcome, before } = await afterGoodAttestation(b, () => api.faults.forceFor(b.siren, 'slow', API_ONLY));
    expectTypedFailure(b, outcome, 'timeout', before);
    expect(journalOutcomes(b).slice(-3)).toEqual(['timeout', 'timeout', 'timeout']);
  });
});

describe('502, 503 and 504 bursts', () => {
  it('a 502 then a 503: retried to success', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => {
      api.faults.forceNext('provider_error', 1, API_ONLY);
      api.faults.forceNext('unavailable', 1, API_ONLY);
    });
    expectRetriedSuccess(b, outcome, 3, journalFrom, ['provider_error', 'provider_unavailable']);
  });

  it('two 504s: retried to success', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => api.faults.forceNext('gateway_timeout', 2, API_ONLY));
    expectRetriedSuccess(b, outcome, 3, journalFrom, ['gateway_timeout', 'gateway_timeout']);
  });

  it('a burst longer than the retries: a typed, retryable error, for the engine to reschedule', async () => {
    const { outcome, before } = await afterGoodAttestation(b, () => api.faults.forceNext('unavailable', 5, API_ONLY));
    expect(expectTypedFailure(b, outcome, 'provider_unavailable', before).retryable).toBe(true);
  });
});

describe('429, with and without Retry-After', () => {
  let limited: Awaited<ReturnType<typeof fakeApi>>;
  let limitedNoRetryAfter: Awaited<ReturnType<typeof fakeApi>>;
  beforeAll(async () => {
    const options = { windowMs: 1_000, poolLimits: { urssaf: 3 } };
    limited = await fakeApi(options);
    limitedNoRetryAfter = await fakeApi({ ...options, retryAfter: false });
  });
  afterAll(async () => {
    await limited.close();
    await limitedNoRetryAfter.close();
  });

  /** Another program using the same token (the CLI) spends the window behind the client's back. */
  async function spendWindow(server: FakeApiHandle, bench: Bench): Promise<void> {
    const url = `${server.url}/v4/urssaf/unites_legales/${bench.siren}/attestation_vigilance?recipient=${COMMUNE}&context=x&object=y`;
    for (let i = 0; i < 2; i += 1) {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${bench.token}` } });
      await response.arrayBuffer();
    }
  }

  /** Starts right after a window opens, so that the whole sequence falls in one window. */
  async function alignOnWindow(): Promise<void> {
    const into = Date.now() % 1_000;
    if (into > 100) await new Promise((r) => setTimeout(r, 1_000 - into + 5));
  }

  for (const [label, server] of [
    ['Retry-After', () => limited],
    ['RateLimit-Reset only', () => limitedNoRetryAfter],
  ] as const) {
    it(`a 429 with ${label}: waited out, then success, without a second 429`, async () => {
      const target = server();
      const local = await bench(target);
      try {
        await alignOnWindow();
        // the good attestation first: 1 request of the window's 3
        expect((await local.refresh()).ok).toBe(true);
        const before = snapshot(local);
        const journalFrom = journalOutcomes(local).length;
        // another program with the same token (the CLI) spends the other 2 behind the client's back
        await spendWindow(target, local);
        const rateLimitedBefore = target.stats.byPool.urssaf.rateLimited;
        const started = Date.now();
        const again = await local.refresh();
        expectPreviousIntact(local, before);
        expectNothingHalfWritten(local);
        expect(again.ok).toBe(true);
        expect(target.stats.byPool.urssaf.rateLimited - rateLimitedBefore).toBe(1);
        expect(journalOutcomes(local).slice(journalFrom)).toEqual(['rate_limited', 'ok']);
        // it waited for the next window, not for a long fixed back-off
        expect(Date.now() - started).toBeLessThan(3_000);
      } finally {
        local.close();
      }
    });
  }
});

describe('answers that are not JSON', () => {
  it('malformed JSON once: retried to success', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => api.faults.forceNext('malformed_json', 1, API_ONLY));
    expectRetriedSuccess(b, outcome, 2, journalFrom, ['malformed_response']);
  });

  it('an HTML maintenance page with status 200, every time: a typed malformed_response', async () => {
    const { outcome, before } = await afterGoodAttestation(b, () => api.faults.forceFor(b.siren, 'html_200', API_ONLY));
    const error = expectTypedFailure(b, outcome, 'malformed_response', before);
    expect(error.userMessage).toBe('Réponse illisible d’API Entreprise : les données précédentes sont conservées.');
  });
});

describe('documents', () => {
  it('a truncated PDF once: the whole call is retried and the document stored whole', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => api.faults.forceNext('truncated_pdf', 1, DOCUMENTS_ONLY), { bypassCache: true });
    expectRetriedSuccess(b, outcome, 2, journalFrom, ['document_invalid']);
  });

  it('an HTML page instead of the PDF, every time: a typed document_invalid, the previous PDF kept', async () => {
    const { outcome, before } = await afterGoodAttestation(b, () => api.faults.forceFor(b.siren, 'html_200', DOCUMENTS_ONLY), { bypassCache: true });
    const error = expectTypedFailure(b, outcome, 'document_invalid', before);
    expect(error.userMessage).toBe('Le document reçu n’est pas un PDF valide : le document précédent est conservé.');
  });

  it('a document URL already expired when fetched (410): a typed document_expired, not retried', async () => {
    const { outcome, before } = await afterGoodAttestation(
      b,
      () => {
        // the JSON answer arrives, then a day passes before the download: the link is dead
        b.afterApiAnswer.hook = () => api.shiftClock(86_400_000 * 2);
      },
      { bypassCache: true },
    );
    b.afterApiAnswer.hook = null;
    api.shiftClock(-86_400_000 * 2);
    expectTypedFailure(b, outcome, 'document_expired', before);
    expect(api.stats.documents.expired).toBeGreaterThanOrEqual(1);
    expect(b.requests.filter((r) => r.startsWith('GET /documents/')).length).toBe(2);
  });

  it('a huge document: stopped at the size cap, a typed document_too_large', async () => {
    const { outcome, before } = await afterGoodAttestation(b, () => api.faults.forceNext('huge_body', 1, DOCUMENTS_ONLY), { bypassCache: true });
    expectTypedFailure(b, outcome, 'document_too_large', before);
  });

  it('a huge JSON answer: stopped at the size cap, a typed malformed_response, not retried', async () => {
    const { outcome, before } = await afterGoodAttestation(b, () => api.faults.forceNext('huge_body', 1, API_ONLY));
    const error = expectTypedFailure(b, outcome, 'malformed_response', before);
    expect(error.retryable).toBe(false);
  });

  it('a connection reset in the middle of the download: retried to success', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => api.faults.forceNext('connection_reset', 1, DOCUMENTS_ONLY), { bypassCache: true });
    expectRetriedSuccess(b, outcome, 2, journalFrom, ['network']);
  });

  it('a connection reset in the middle of the JSON answer: retried to success', async () => {
    const { outcome, journalFrom } = await afterGoodAttestation(b, () => api.faults.forceNext('connection_reset', 1, API_ONLY));
    expectRetriedSuccess(b, outcome, 2, journalFrom, ['network']);
  });

  it('the disk full while writing the new document: a typed document_storage, no temporary file, the previous PDF intact', async () => {
    const { outcome, before } = await afterGoodAttestation(
      b,
      () => {
        b.disk.full = true;
      },
      // a fresh attestation: new bytes, so the store has to write
      { bypassCache: true },
    );
    const error = expectTypedFailure(b, outcome, 'document_storage', before);
    expect(error.userMessage).toBe('Le disque est plein : le document n’a pas pu être enregistré et le document précédent est conservé. Libérez de la place.');
    b.disk.full = false;
    // once room is back, the next refresh stores it
    const next = await b.refresh({ bypassCache: true });
    expect(next.ok).toBe(true);
    expectNothingHalfWritten(b);
  });
});

describe('a process killed during a database transaction', () => {
  it('SIGKILL in the middle of a big import: the register is intact and sound, and usable at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-kill-'));
    try {
      const dbPath = join(dir, 'vigie.sqlite3');
      const BASE = 500;
      const NEW = 5_000;
      const baseline = join(dir, 'baseline.csv');
      writeFileSync(baseline, `SIRET;Raison sociale\n${Array.from({ length: BASE }, (_, i) => `${makeSiret(i)};Avant ${i}`).join('\n')}\n`);
      const db = openDatabase(dbPath);
      await importSuppliersCsv(db, baseline, { dryRun: false });
      const rowsBefore = db.prepare('SELECT id, siret, name, updated_at FROM suppliers ORDER BY id').all();
      db.close();

      // every existing supplier renamed, then many new ones: one transaction
      const big = join(dir, 'big.csv');
      const lines = [
        ...Array.from({ length: BASE }, (_, i) => `${makeSiret(i)};Modifié ${i}`),
        ...Array.from({ length: NEW }, (_, i) => `${makeSiret(BASE + i)};Nouveau ${i}`),
      ];
      writeFileSync(big, `SIRET;Raison sociale\n${lines.join('\n')}\n`);
      const child = join(dir, 'import-child.mts');
      writeFileSync(
        child,
        `import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [root, dbPath, csvPath] = process.argv.slice(2);
const { openDatabase } = await import(pathToFileURL(root + '/src-main/node/db/database.ts').href);
const { importSuppliersCsv } = await import(pathToFileURL(root + '/src-main/node/csv/csv-import.ts').href);
const db = openDatabase(dbPath);
// a small page cache: the transaction's pages spill into the WAL before any commit
db.pragma('cache_size = 16');
let rows = 0;
await importSuppliersCsv(db, csvPath, {
  dryRun: false,
  now: () => {
    rows += 1;
    if (rows === ${BASE + 1_000}) {
      writeSync(1, 'in-transaction\\n');
      // held here, inside the transaction, until the parent kills the process
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
    return '2026-11-28T00:00:00.000Z';
  },
});
writeSync(1, 'committed\\n');
`,
      );
      const proc = spawn(process.execPath, ['--import', 'tsx', child, ROOT, dbPath, big], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => proc.on('exit', (code, signal) => done({ code, signal })));
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error(`child never reached the transaction: ${stderr.slice(0, 500)}`)), 25_000);
        proc.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('in-transaction')) {
            clearTimeout(timer);
            ready();
          }
        });
        proc.on('exit', () => fail(new Error(`child exited early: ${stderr.slice(0, 500)}`)));
      });
      // uncommitted pages of the import are in the WAL at this moment
      expect(statSync(`${dbPath}-wal`).size).toBeGreaterThan(0);
      proc.kill('SIGKILL');
      const { signal } = await exited;
      expect(signal).toBe('SIGKILL');
      expect(stdout).not.toContain('committed');

      expect(checkDatabaseAtStartup(dbPath)).toMatchObject({ status: 'ok', check: 'integrity_check' });
      const reopened = openDatabase(dbPath);
      try {
        expect(reopened.prepare('SELECT id, siret, name, updated_at FROM suppliers ORDER BY id').all()).toEqual(rowsBefore);
        // the search index agrees with the table: no half of the import in either
        reopened.prepare("INSERT INTO suppliers_fts (suppliers_fts) VALUES ('integrity-check')").run();
        expect(reopened.prepare("SELECT count(*) FROM suppliers_fts WHERE suppliers_fts MATCH 'Modifié OR Nouveau'").pluck().get()).toBe(0);
        expect(reopened.prepare("SELECT count(*) FROM suppliers_fts WHERE suppliers_fts MATCH 'Avant'").pluck().get()).toBe(BASE);
        // and the same import runs to the end now
        const report = await importSuppliersCsv(reopened, big, { dryRun: false });
        expect(report).toMatchObject({ updated: BASE, inserted: NEW });
        expect(new SupplierRepository(reopened).findSame(makeSiret(0).slice(0, 9), makeSiret(0))?.name).toBe('Modifié 0');
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
