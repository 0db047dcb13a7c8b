// What every payload builder receives and returns. Builders are pure functions of the company, the
// clock and the base URL (for links and document URLs), so answers are reproducible in tests.
import type { EndpointId } from '../../api-entreprise/endpoint-catalogue';
import type { DocumentStore, FakeDocument } from '../document-store';
import type { PdfContent } from '../pdf-documents';
import type { SyntheticCompany, SyntheticEstablishment } from '../synthetic-companies';

export interface PayloadContext {
  /** `http://127.0.0.1:<port>`: links and document URLs point back at the fake API. */
  baseUrl: string;
  nowMs: number;
  seed: string;
  documents: DocumentStore;
  /** `document_url_expires_in` / `expires_in` of that endpoint, in seconds. */
  documentTtlSeconds: (endpoint: EndpointId) => number;
}

export interface Subject {
  company: SyntheticCompany;
  /** The establishment of a SIRET endpoint; null for SIREN endpoints. */
  establishment: SyntheticEstablishment | null;
}

export type PayloadResult =
  | { kind: 'ok'; body: unknown; document: FakeDocument | null }
  | { kind: 'not_found' };

export const NOT_FOUND: PayloadResult = { kind: 'not_found' };

export function ok(body: unknown, document: FakeDocument | null = null): PayloadResult {
  return { kind: 'ok', body, document };
}

/** Registers a PDF for this answer and returns it with its URL. */
export function issueDocument(
  ctx: PayloadContext,
  endpoint: EndpointId,
  subject: Subject,
  content: Pick<PdfContent, 'title' | 'issuer' | 'lines'>,
): { document: FakeDocument; url: string; expiresIn: number } {
  const expiresIn = ctx.documentTtlSeconds(endpoint);
  const document = ctx.documents.register(
    endpoint,
    {
      ...content,
      companyName: subject.company.name,
      siren: subject.company.siren,
      siret: subject.establishment?.siret ?? null,
      issuedAtMs: ctx.nowMs,
    },
    ctx.nowMs,
    expiresIn,
  );
  return { document, url: ctx.documents.urlFor(ctx.baseUrl, document), expiresIn };
}

/** The head office, which every company has. */
export function headOffice(company: SyntheticCompany): SyntheticEstablishment {
  const head = company.establishments[0];
  if (!head) throw new Error(`company ${company.siren} has no establishment`);
  return head;
}

/** NAF codes travel as "43.32A" at INSEE and "4332A" at Infogreffe and INPI. */
export function compactNaf(code: string): string {
  return code.replace('.', '');
}

export function streetLine(e: SyntheticEstablishment): string {
  const a = e.address;
  return [a.number, a.repetition?.toUpperCase(), a.streetType, a.streetName].filter(Boolean).join(' ');
}
