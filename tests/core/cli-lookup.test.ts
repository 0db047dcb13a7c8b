import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/vigie-cli';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';

let api: FakeApiHandle;
let documents: string;
const savedToken = process.env.VIGIE_TOKEN;

beforeAll(async () => {
  api = await startFakeApi({ seed: 'cli-lookup', companyCount: 500 });
  documents = mkdtempSync(join(tmpdir(), 'vigie-cli-docs-'));
});
afterAll(async () => {
  await api.close();
  rmSync(documents, { recursive: true, force: true });
});
afterEach(() => {
  if (savedToken === undefined) delete process.env.VIGIE_TOKEN;
  else process.env.VIGIE_TOKEN = savedToken;
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const base = () => ['--api-url', api.url, '--recipient', '13002526500013', '--documents', documents];

describe('vigie-cli lookup', () => {
  it('prints the normalised company, establishment and attestations as JSON, with the token read from VIGIE_TOKEN', async () => {
    const token = api.mintToken();
    process.env.VIGIE_TOKEN = token;
    const company = api.companies.example('active', 'urssaf_ok', 'dgfip_known');
    const siret = company.establishments[0]?.siret as string;
    const { code, out, err } = await run(['lookup', siret, ...base(), '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out) as { siren: string; company: { siren: string }; establishment: { siret: string }; attestations: { kind: string; status: string }[]; outcomes: { ok: boolean; document: unknown }[] };
    expect(result.company.siren).toBe(company.siren);
    expect(result.establishment.siret).toBe(siret);
    expect(result.attestations.map((a) => [a.kind, a.status])).toEqual(
      expect.arrayContaining([
        ['urssaf_vigilance', 'delivered'],
        ['dgfip_fiscale', 'delivered'],
      ]),
    );
    expect(result.outcomes.filter((o) => o.document !== null)).toHaveLength(2);
    expect(out).not.toContain(token);
  });

  it('refuses a token given on the command line', async () => {
    const { code, err } = await run(['lookup', '552120222', ...base(), '--token', 'abc']);
    expect(code).toBe(2);
    expect(err).toContain('VIGIE_TOKEN');
  });

  it('ends with a non-zero status and the French message when the token is expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    process.env.VIGIE_TOKEN = api.mintToken({ issuedAt: now - 600 * 86_400, expiresAt: now - 86_400 });
    const company = api.companies.example('active');
    const { code, err } = await run(['lookup', company.siren, ...base()]);
    expect(code).toBe(1);
    expect(err).toMatch(/Ce jeton a expiré le \d{2}\/\d{2}\/\d{4} : demandez-en un nouveau/);
    expect(err).not.toContain(process.env.VIGIE_TOKEN);
  });

  it('says when no token is set, and refuses API addresses other than the official ones and the loopback', async () => {
    delete process.env.VIGIE_TOKEN;
    const company = api.companies.example('active');
    const missing = await run(['lookup', company.siren, ...base()]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/Aucun jeton/);
    const foreign = await run(['lookup', company.siren, '--api-url', 'https://example.org', '--recipient', '13002526500013']);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(/Adresse d’API refusée/);
  });

  it('rejects an invalid identifier in French before any call', async () => {
    process.env.VIGIE_TOKEN = api.mintToken();
    const before = api.stats.apiCalls;
    const { code, err } = await run(['lookup', '552120223', ...base()]);
    expect(code).toBe(1);
    expect(err).toMatch(/clé de contrôle/);
    expect(api.stats.apiCalls).toBe(before);
  });

  it('ends with a non-zero status when API Entreprise refuses the token (revoked)', async () => {
    const token = api.mintToken();
    process.env.VIGIE_TOKEN = token;
    api.blacklist((JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { jti: string }).jti);
    const { code, err } = await run(['lookup', api.companies.example('active').siren, ...base()]);
    expect(code).toBe(1);
    expect(err).toMatch(/révoqué/);
  });
});
