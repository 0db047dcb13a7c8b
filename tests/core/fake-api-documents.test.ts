import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointPath, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import type { SyntheticCompany } from '../../src-main/node/fake-api/synthetic-companies';

const TRACE = { recipient: '13002526500013', context: 'Marchés publics', object: 'Obligation de vigilance' };
/** 15 March 2026, 10:00 in Paris. */
const T0 = Date.parse('2026-03-15T09:00:00Z');

let clock = T0;
let api: FakeApiHandle;
let token: string;

beforeAll(async () => {
  api = await startFakeApi({ now: () => clock });
  token = api.mintToken();
});

afterAll(async () => {
  await api.close();
});

async function call(
  id: EndpointId,
  identifier: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data: Record<string, unknown> }; headers: Headers }> {
  const url = new URL(`${api.url}${endpointPath(id, identifier)}`);
  for (const [key, value] of Object.entries(TRACE)) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  return { status: response.status, body: (await response.json()) as { data: Record<string, unknown> }, headers: response.headers };
}

function documentUrl(body: { data: Record<string, unknown> }): string {
  const url = body.data.document_url;
  if (typeof url !== 'string') throw new Error('no document_url');
  return url;
}

async function download(url: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

function pdfHeader(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1');
}

describe('fake API: URSSAF attestation de vigilance (v4)', () => {
  let company: SyntheticCompany;

  beforeAll(() => {
    company = api.companies.example('urssaf_ok');
  });

  it('is valid from today to the end of the month six months later, with a security code', async () => {
    clock = T0;
    const { status, body, headers } = await call('urssaf.attestation_vigilance', company.siren, { 'Cache-Control': 'no-cache' });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      entity_status: { code: 'ok', libelle: "Attestation délivrée par l'Urssaf" },
      date_debut_validite: '2026-03-15',
      date_fin_validite: '2026-09-30',
      document_url_expires_in: 86_400,
    });
    expect(body.data.code_securite).toMatch(/^[A-Z0-9]{15}$/);
    expect(documentUrl(body)).toMatch(new RegExp(`^${api.url}/documents/[0-9a-f]{32}\\.pdf$`));
    expect(headers.get('x-response-cached')).toBe('false');
  });

  it('serves the PDF at once, a real PDF naming the company, then lets the URL expire', async () => {
    clock = T0;
    const { body } = await call('urssaf.attestation_vigilance', company.siren, { 'Cache-Control': 'no-cache' });
    const url = documentUrl(body);
    const first = await download(url);
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/pdf');
    expect(pdfHeader(first.bytes)).toBe('%PDF-');
    const pdf = await PDFDocument.load(first.bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toContain(company.name);
    expect(pdf.getTitle()).toContain('Attestation de vigilance');
    expect(pdf.getSubject()).toContain(company.siren);
    expect(pdf.getCreationDate()?.getTime()).toBe(T0);
    const second = await download(url);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);

    clock = T0 + 86_399_000;
    expect((await download(url)).status).toBe(200);
    clock = T0 + 86_400_000;
    expect((await download(url)).status).toBe(410);
    expect(api.stats.documents.expired).toBe(1);
    expect((await download(`${api.url}/documents/ffffffffffffffffffffffffffffffff.pdf`)).status).toBe(404);
  });

  it('caches the answer until 8:00 the next day, unless Cache-Control: no-cache', async () => {
    clock = T0;
    const fresh = await call('urssaf.attestation_vigilance', company.siren, { 'Cache-Control': 'no-cache' });
    expect(fresh.headers.get('x-response-cached')).toBe('false');
    // 10:00 to 8:00 the next day: 22 hours
    expect(fresh.headers.get('x-cache-expires-in')).toBe(String(22 * 3600));
    clock = T0 + 3_600_000;
    const cached = await call('urssaf.attestation_vigilance', company.siren);
    expect(cached.headers.get('x-response-cached')).toBe('true');
    expect(documentUrl(cached.body)).toBe(documentUrl(fresh.body));
    expect(cached.body.data.document_url_expires_in).toBe(86_400 - 3_600);
    const forced = await call('urssaf.attestation_vigilance', company.siren, { 'Cache-Control': 'no-cache' });
    expect(forced.headers.get('x-response-cached')).toBe('false');
    expect(documentUrl(forced.body)).not.toBe(documentUrl(fresh.body));
    clock = Date.parse('2026-03-16T07:00:01Z');
    expect((await call('urssaf.attestation_vigilance', company.siren)).headers.get('x-response-cached')).toBe('false');
    expect(api.stats.cachedAnswers).toBeGreaterThanOrEqual(1);
  });

  it('says refus_de_delivrance explicitly for a company that is not up to date', async () => {
    clock = T0;
    const refused = api.companies.example('urssaf_refused');
    const { status, body } = await call('urssaf.attestation_vigilance', refused.siren);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      entity_status: { code: 'refus_de_delivrance' },
      date_debut_validite: null,
      date_fin_validite: null,
      code_securite: null,
      document_url: null,
      document_url_expires_in: null,
    });
  });

  it('answers 404 04003 (ACOSS) for a company URSSAF does not know', async () => {
    const unknown = api.companies.example('urssaf_unknown');
    const { status, body } = await call('urssaf.attestation_vigilance', unknown.siren);
    expect(status).toBe(404);
    expect(body).toMatchObject({ errors: [{ code: '04003', title: 'Entité non trouvée', meta: { provider: 'ACOSS' } }] });
  });
});

describe('fake API: DGFIP attestation fiscale (v4) and other documents', () => {
  it('is delivered today for the period ending the last day of the previous month', async () => {
    clock = T0;
    const company = api.companies.example('dgfip_known');
    const { status, body } = await call('dgfip.attestation_fiscale', company.siren);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      date_delivrance_attestation: '2026-03-15',
      date_periode_analysee: '2026-02-28',
      document_url_expires_in: 86_400,
    });
    const pdf = await download(documentUrl(body));
    expect(pdfHeader(pdf.bytes)).toBe('%PDF-');
    expect((await PDFDocument.load(pdf.bytes)).getTitle()).toContain('Attestation de régularité fiscale');
  });

  it('answers 404 03003 (DGFIP - Adélie) for a company unknown to DGFIP', async () => {
    const unknown = api.companies.example('dgfip_unknown', 'active');
    const { status, body } = await call('dgfip.attestation_fiscale', unknown.siren);
    expect(status).toBe(404);
    expect(body).toMatchObject({ errors: [{ code: '03003', meta: { provider: 'DGFIP - Adélie' } }] });
  });

  it('gives CIBTP certificates ten minutes (expires_in: 600)', async () => {
    clock = T0;
    const company = [...api.companies.all()].find((c) => c.coverage.cibtp);
    if (!company) throw new Error('no CIBTP company');
    const siret = company.establishments[0]?.siret ?? '';
    const { status, body } = await call('cibtp.attestation', siret, { 'Cache-Control': 'no-cache' });
    expect(status).toBe(200);
    expect(body.data.expires_in).toBe(600);
    const url = documentUrl(body);
    expect((await download(url)).status).toBe(200);
    clock = T0 + 601_000;
    expect((await download(url)).status).toBe(410);
  });

  it('has Qualibat certificates for some companies and the provider’s 404 for the others', async () => {
    clock = T0;
    const certified = api.companies.example('qualibat');
    const { status, body } = await call('qualibat.certification', certified.establishments[0]?.siret ?? '');
    expect(status).toBe(200);
    expect(pdfHeader((await download(documentUrl(body))).bytes)).toBe('%PDF-');
    const uncertified = api.companies.example('no_certification', 'active');
    const missing = await call('qualibat.certification', uncertified.establishments[0]?.siret ?? '');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errors: [{ code: '06003', meta: { provider: 'Qualibat' } }] });
  });

  it('does not count document downloads against the rate limits', async () => {
    const before = api.stats.byPool.urssaf.requests;
    const company = api.companies.example('urssaf_ok');
    clock = T0;
    const { body } = await call('urssaf.attestation_vigilance', company.siren, { 'Cache-Control': 'no-cache' });
    await download(documentUrl(body));
    await download(documentUrl(body));
    expect(api.stats.byPool.urssaf.requests).toBe(before + 1);
    expect(api.stats.documents.withAuthorization).toBe(0);
  });
});
