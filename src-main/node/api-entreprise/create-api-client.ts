// Assembles the client with everything it needs: limiter, normalisers, document store. The
// Electron shell passes net.fetch as transport; the CLI, tests and benchmarks pass global fetch.
import { type Clock, systemClock } from '../clock';
import { downloadDocument } from '../documents/document-download';
import { DocumentStore } from '../documents/document-store';
import type { Logger } from '../logger';
import { ApiEntrepriseClient, type ApiClientOptions, type HttpTransport, type TokenProvider } from './api-client';
import type { CallContext } from './call-context';
import { normalizeAnswer } from './normalizers/normalize-answer';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter';

export interface ApiClientSetup {
  baseUrl: string;
  transport: HttpTransport;
  tokenProvider: TokenProvider;
  defaults: CallContext;
  /** Folder of the content-addressed document store; documents are not downloaded without one. */
  documentsRoot?: string;
  clock?: Clock;
  limiter?: RateLimiter;
  limiterOptions?: RateLimiterOptions;
  logger?: Logger;
  overrides?: Partial<ApiClientOptions>;
}

export function createApiClient(setup: ApiClientSetup): { client: ApiEntrepriseClient; limiter: RateLimiter; store: DocumentStore | null } {
  const clock = setup.clock ?? systemClock;
  const limiter = setup.limiter ?? new RateLimiter({ clock, ...setup.limiterOptions });
  const store = setup.documentsRoot ? new DocumentStore({ root: setup.documentsRoot }) : null;
  const client = new ApiEntrepriseClient({
    baseUrl: setup.baseUrl,
    transport: setup.transport,
    tokenProvider: setup.tokenProvider,
    defaults: setup.defaults,
    limiter,
    clock,
    normalize: normalizeAnswer,
    fetchDocument: store
      ? ({ endpoint, url, expiresAt, accept, signal }) =>
          downloadDocument({ url, expiresAt, accept, transport: setup.transport, store, now: () => clock.now(), signal, endpoint, logger: setup.logger })
      : undefined,
    ...setup.overrides,
  });
  return { client, limiter, store };
}
