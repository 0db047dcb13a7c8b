// The documents the fake API has handed out: each `document_url` names an opaque id that stays
// downloadable until its expiry (like the real, short-lived URLs), then answers 410. The PDF bytes
// are rendered once per id and cached; the registry and the cache are bounded for long benchmarks.
import type { EndpointId } from '../api-entreprise/endpoint-catalogue';
import { hexDigest } from './deterministic-random';
import { renderAttestationPdf, type PdfContent } from './pdf-documents';

export interface FakeDocument {
  id: string;
  endpoint: EndpointId;
  content: PdfContent;
  createdAtMs: number;
  expiresAtMs: number;
}

export type DocumentLookup = { status: 'ok'; document: FakeDocument } | { status: 'expired' } | { status: 'unknown' };

export const DOCUMENT_PATH_PREFIX = '/documents/';

const MAX_DOCUMENTS = 100_000;
const MAX_CACHED_PDFS = 2_000;

export class DocumentStore {
  private readonly documents = new Map<string, FakeDocument>();
  private readonly pdfCache = new Map<string, Promise<Uint8Array>>();
  private counter = 0;

  constructor(private readonly seed: string) {}

  register(
    endpoint: EndpointId,
    content: Omit<PdfContent, 'documentId'>,
    nowMs: number,
    expiresInSeconds: number,
  ): FakeDocument {
    this.counter += 1;
    const id = hexDigest(32, this.seed, 'document', endpoint, content.siret ?? content.siren, nowMs, this.counter);
    const document: FakeDocument = {
      id,
      endpoint,
      content: { ...content, documentId: id },
      createdAtMs: nowMs,
      expiresAtMs: nowMs + expiresInSeconds * 1000,
    };
    if (this.documents.size >= MAX_DOCUMENTS) {
      const oldest = this.documents.keys().next();
      if (!oldest.done) this.documents.delete(oldest.value);
    }
    this.documents.set(id, document);
    return document;
  }

  lookup(id: string, nowMs: number): DocumentLookup {
    const document = this.documents.get(id);
    if (!document) return { status: 'unknown' };
    if (nowMs >= document.expiresAtMs) return { status: 'expired' };
    return { status: 'ok', document };
  }

  /** Seconds left before the URL expires (what a cached answer reports). */
  secondsLeft(document: FakeDocument, nowMs: number): number {
    return Math.max(0, Math.floor((document.expiresAtMs - nowMs) / 1000));
  }

  pdfBytes(document: FakeDocument): Promise<Uint8Array> {
    let bytes = this.pdfCache.get(document.id);
    if (!bytes) {
      bytes = renderAttestationPdf(document.content);
      if (this.pdfCache.size >= MAX_CACHED_PDFS) {
        const oldest = this.pdfCache.keys().next();
        if (!oldest.done) this.pdfCache.delete(oldest.value);
      }
      this.pdfCache.set(document.id, bytes);
    }
    return bytes;
  }

  urlFor(baseUrl: string, document: FakeDocument): string {
    return `${baseUrl}${DOCUMENT_PATH_PREFIX}${document.id}.pdf`;
  }

  get size(): number {
    return this.documents.size;
  }
}
