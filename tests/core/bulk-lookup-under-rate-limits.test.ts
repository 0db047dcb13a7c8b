// Acceptance: 200 suppliers looked up against the fake API with its rate limits and 5% injected
// faults. Not one 429, every fault retried to success or ended as a typed error, and every
// document on disk whole.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorKind } from '../../src-main/node/api-entreprise/api-error';
import { createApiClient } from '../../src-main/node/api-entreprise/create-api-client';
import type { EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { lookupSupplier, type SupplierLookup } from '../../src-main/node/api-entreprise/supplier-lookup';
import { sniffDocument } from '../../src-main/node/documents/document-sniffing';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';

const ENDPOINTS: EndpointId[] = ['insee.unite_legale', 'insee.etablissement', 'urssaf.attestation_vigilance', 'dgfip.attestation_fiscale'];
const TYPED_KINDS: readonly ApiErrorKind[] = [
  'not_found',
  'not_authorized',
  'legally_unavailable',
  'conflict',
  'provider_error',
  'provider_unavailable',
  'gateway_timeout',
  'timeout',
  'network',
  'malformed_response',
  'document_invalid',
  'document_too_large',
];

let api: FakeApiHandle;
let documentsRoot: string;
let results: SupplierLookup[];
let durationMs: number;

beforeAll(async () => {
  documentsRoot = mkdtempSync(join(tmpdir(), 'vigie-bulk-'));
  api = await startFakeApi({
    seed: 'bulk-lookup',
    companyCount: 2_000,
    windowMs: 1_000,
    // DGFIP's real 5 per window would make this test last minutes; its behaviour is the same at 40
    poolLimits: { dgfip: 40 },
    latency: { kind: 'lognormal', medianMs: 15, p99Ms: 120 },
    faultRate: 0.05,
    faultWeights: { provider_error: 2, unavailable: 1, gateway_timeout: 1, slow: 1, truncated_pdf: 2, html_200: 1, malformed_json: 1, connection_reset: 1 },
    providerRetryInSeconds: 1,
    slowMs: 1_500,
  });
  const { client } = createApiClient({
    baseUrl: api.url,
    transport: (url, init) => fetch(url, init),
    tokenProvider: () => api.mintToken(),
    defaults: { recipient: '13002526500013', context: 'Gestion d’un référentiel tiers', object: 'Test de charge' },
    documentsRoot,
    overrides: { timeoutsMs: { json: 800, document: 1_200 }, retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 2_000 } },
  });
  const sirets = Array.from({ length: 200 }, (_, i) => api.companies.at(i * 7).establishments[0]?.siret as string);
  const started = Date.now();
  results = [];
  // twenty suppliers at a time, as the refresh engine does: the limiter decides the pace
  for (let i = 0; i < sirets.length; i += 20) {
    results.push(...(await Promise.all(sirets.slice(i, i + 20).map((siret) => lookupSupplier(client, siret, ENDPOINTS)))));
  }
  durationMs = Date.now() - started;
}, 120_000);

afterAll(async () => {
  await api.close();
  rmSync(documentsRoot, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('200 suppliers under rate limits and 5% faults', () => {
  it('never gets a 429', () => {
    expect(api.stats.rateLimited).toBe(0);
    expect(api.stats.apiCalls).toBeGreaterThanOrEqual(800);
  });

  it('ends every call as a success or a typed error, after retrying the transient ones', () => {
    const faults = Object.values(api.stats.faults).reduce((a, b) => a + b, 0);
    expect(faults).toBeGreaterThan(20);
    const outcomes = results.flatMap((r) => r.outcomes);
    expect(outcomes).toHaveLength(800);
    const failures = outcomes.filter((o) => !o.ok);
    for (const failure of failures) {
      expect(TYPED_KINDS).toContain(failure.error?.kind);
      expect(failure.message).toMatch(/\S/);
    }
    // what is left is either the providers' final word or a transient failure that outlived its retries
    const finalWords = failures.filter((f) => !f.error?.retryable);
    for (const failure of finalWords) expect(['not_found', 'not_authorized', 'legally_unavailable']).toContain(failure.error?.kind);
    const transient = failures.filter((f) => f.error?.retryable);
    expect(transient.length).toBeLessThan(faults / 4);
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(650);
    console.info(`bulk lookup: ${outcomes.length} calls in ${durationMs} ms, ${faults} faults injected, ${failures.length} final failures (${transient.length} transient)`);
  });

  it('leaves only whole, verified documents on disk', () => {
    const files = filesUnder(documentsRoot);
    const stored = results.flatMap((r) => r.outcomes.flatMap((o) => (o.document ? [o.document.storedPath] : [])));
    expect(stored.length).toBeGreaterThan(150);
    expect(files.map((f) => relative(documentsRoot, f)).sort()).toEqual([...new Set(stored)].sort());
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(sniffDocument(bytes)).toMatchObject({ ok: true, mediaType: 'application/pdf' });
    }
  });
});
