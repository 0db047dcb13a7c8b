// The checks the real server makes before calling a provider, in its order: the token (header
// only, signature, blacklist, expiry), the scope, the trace parameters (recipient, context,
// object) and the identifier's format. Each failure is the contract's error answer.
import { isValidSiren, isValidSiret } from '../../common/identifiers';
import type { EndpointSpec } from '../api-entreprise/endpoint-catalogue';
import { verifyDevToken, type DevTokenClaims } from './dev-token';
import {
  blacklistedToken,
  expiredToken,
  insufficientPrivileges,
  invalidIdentifier,
  invalidParameter,
  invalidToken,
  missingParameter,
  type ErrorAnswer,
  type JsonApiError,
} from './json-api-errors';

/** The token of an `Authorization: Bearer <jwt>` header; a `token` query parameter is never read. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}

export type TokenVerdict = { ok: true; claims: DevTokenClaims } | { ok: false; answer: ErrorAnswer; claims: DevTokenClaims | null };

export function checkToken(
  token: string | null,
  secret: string,
  blacklist: ReadonlySet<string>,
  nowMs: number,
): TokenVerdict {
  if (token === null) return { ok: false, answer: invalidToken(), claims: null };
  const verified = verifyDevToken(token, secret);
  if (!verified.ok) return { ok: false, answer: invalidToken(), claims: null };
  const { claims } = verified;
  // a leaked token is refused as such even when it has expired since
  if (blacklist.has(claims.jti)) return { ok: false, answer: blacklistedToken(), claims };
  if (claims.exp * 1000 <= nowMs) return { ok: false, answer: expiredToken(), claims };
  return { ok: true, claims };
}

export function checkScope(endpoint: EndpointSpec, claims: DevTokenClaims): ErrorAnswer | null {
  if (endpoint.scope === '' || claims.scopes.includes(endpoint.scope)) return null;
  return insufficientPrivileges();
}

/** "Description courte (< 50 caractères)" (openapi.yaml, parameter `object`). */
export const OBJECT_MAX_LENGTH = 49;

/** Every trace-parameter problem at once, recipient first (a JSON:API body may list several). */
export function checkTraceParameters(query: URLSearchParams): ErrorAnswer | null {
  const errors: JsonApiError[] = [];
  const recipient = query.get('recipient')?.trim() ?? '';
  const context = query.get('context')?.trim() ?? '';
  const object = query.get('object')?.trim() ?? '';
  if (recipient === '') errors.push(...missingParameter('recipient').body.errors);
  else if (!isValidSiret(recipient)) {
    errors.push(...invalidParameter('recipient', "Le paramètre recipient n'est pas un numéro de SIRET valide").body.errors);
  }
  if (context === '') errors.push(...missingParameter('context').body.errors);
  if (object === '') errors.push(...missingParameter('object').body.errors);
  else if ([...object].length > OBJECT_MAX_LENGTH) {
    errors.push(...invalidParameter('object', 'Le paramètre object doit faire moins de 50 caractères').body.errors);
  }
  return errors.length === 0 ? null : { status: 422, body: { errors } };
}

export function checkIdentifier(endpoint: EndpointSpec, identifier: string | null): ErrorAnswer | null {
  if (endpoint.identifier === 'none') return null;
  const value = identifier ?? '';
  if (endpoint.id === 'djepva.association') {
    // API Association takes a SIREN or an RNA number (W + 9 digits)
    return isValidSiren(value) || /^W\d{9}$/.test(value) ? null : invalidIdentifier('id');
  }
  if (endpoint.identifier === 'siren') return isValidSiren(value) ? null : invalidIdentifier('siren');
  return isValidSiret(value) ? null : invalidIdentifier('siret');
}
