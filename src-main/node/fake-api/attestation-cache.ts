// The server-side cache of attestation answers: kept until 8:00 (Paris) the next day and
// announced with `X-Response-Cached` / `X-Cache-Expires-in`; `Cache-Control: no-cache` forces a
// fresh answer. A cached answer whose document URL has expired is not served again.
import type { EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { FakeDocument } from './document-store';
import { nextDayEightOClock } from './paris-calendar';

interface CacheEntry {
  body: unknown;
  document: FakeDocument | null;
  expiresAtMs: number;
}

export interface CachedAnswer {
  body: unknown;
  document: FakeDocument | null;
  cached: boolean;
  /** Seconds before the cache entry expires. */
  expiresInSeconds: number;
}

export class AttestationCache {
  private readonly entries = new Map<string, CacheEntry>();

  private static key(endpoint: EndpointId, identifier: string): string {
    return `${endpoint}|${identifier}`;
  }

  /** A still-valid answer, or null: the caller then builds a fresh one and `store`s it. */
  lookup(endpoint: EndpointId, identifier: string, nowMs: number): CachedAnswer | null {
    const entry = this.entries.get(AttestationCache.key(endpoint, identifier));
    if (!entry || nowMs >= entry.expiresAtMs) return null;
    if (entry.document && nowMs >= entry.document.expiresAtMs) return null;
    return {
      body: withRemainingExpiry(entry.body, entry.document, nowMs),
      document: entry.document,
      cached: true,
      expiresInSeconds: Math.ceil((entry.expiresAtMs - nowMs) / 1000),
    };
  }

  store(endpoint: EndpointId, identifier: string, body: unknown, document: FakeDocument | null, nowMs: number): CachedAnswer {
    const expiresAtMs = nextDayEightOClock(nowMs);
    this.entries.set(AttestationCache.key(endpoint, identifier), { body, document, expiresAtMs });
    return { body, document, cached: false, expiresInSeconds: Math.ceil((expiresAtMs - nowMs) / 1000) };
  }

  clear(): void {
    this.entries.clear();
  }
}

/** A cached answer tells how long its document URL still lives, not how long it lived at first. */
function withRemainingExpiry(body: unknown, document: FakeDocument | null, nowMs: number): unknown {
  if (!document || typeof body !== 'object' || body === null || !('data' in body)) return body;
  const data = (body as { data: unknown }).data;
  if (typeof data !== 'object' || data === null) return body;
  const remaining = Math.max(0, Math.floor((document.expiresAtMs - nowMs) / 1000));
  const patched: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  if ('document_url_expires_in' in patched) patched.document_url_expires_in = remaining;
  if ('expires_in' in patched) patched.expires_in = remaining;
  return { ...(body as Record<string, unknown>), data: patched };
}
