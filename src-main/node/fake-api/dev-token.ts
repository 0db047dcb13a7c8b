// Development tokens for the fake API: JWTs with the claims of a real API Entreprise token (uid,
// jti, scopes, sub, iat, exp, version), signed HS256 with a local secret that only the fake API
// knows. They open nothing else: the real servers verify their own signature.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ENDPOINTS } from '../api-entreprise/endpoint-catalogue';

/** Not a secret: it signs tokens for a server bound to 127.0.0.1 that serves invented data. */
export const DEV_TOKEN_SECRET = 'vigie-fake-api-local-development-only';

/** Real tokens last 18 months. */
export const DEV_TOKEN_LIFETIME_SECONDS = 548 * 24 * 3600;

/** Every scope the catalogue's endpoints need (the /privileges endpoint needs none). */
export const CATALOGUE_SCOPES: readonly string[] = [
  ...new Set(Object.values(ENDPOINTS).map((endpoint) => endpoint.scope).filter((scope) => scope !== '')),
].sort();

export interface DevTokenClaims {
  uid: string;
  jti: string;
  scopes: string[];
  sub: string;
  iat: number;
  exp: number;
  version: string;
}

const claimsSchema = z.object({
  uid: z.string().min(1),
  jti: z.string().min(1),
  scopes: z.array(z.string()),
  sub: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  version: z.string(),
});

export interface MintOptions {
  secret?: string;
  scopes?: readonly string[];
  sub?: string;
  uid?: string;
  jti?: string;
  /** Unix seconds; defaults to `now`. */
  issuedAt?: number;
  /** Unix seconds; defaults to `issuedAt` + 18 months. */
  expiresAt?: number;
  /** Milliseconds since the epoch, for `issuedAt`'s default. */
  now?: number;
}

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function mintDevToken(options: MintOptions = {}): string {
  const iat = options.issuedAt ?? Math.floor((options.now ?? Date.now()) / 1000);
  const claims: DevTokenClaims = {
    uid: options.uid ?? randomUUID(),
    jti: options.jti ?? randomUUID(),
    scopes: [...(options.scopes ?? CATALOGUE_SCOPES)],
    sub: options.sub ?? 'Vigie – développement local (fausse API)',
    iat,
    exp: options.expiresAt ?? iat + DEV_TOKEN_LIFETIME_SECONDS,
    version: '1.0',
  };
  const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign(`${header}.${payload}`, options.secret ?? DEV_TOKEN_SECRET).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export type TokenCheck = { ok: true; claims: DevTokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'claims' };

function parseJson(base64url: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Checks the signature and the claims' shape; expiry and blacklist are the server's decisions. */
export function verifyDevToken(token: string, secret: string = DEV_TOKEN_SECRET): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  const headerJson = z.object({ alg: z.literal('HS256') }).safeParse(parseJson(header));
  if (!headerJson.success) return { ok: false, reason: 'malformed' };
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  const claims = claimsSchema.safeParse(parseJson(payload));
  if (!claims.success) return { ok: false, reason: 'claims' };
  return { ok: true, claims: claims.data };
}
