import { createHmac, randomUUID } from 'node:crypto';

/** A token shaped like API Entreprise's, minted by the test (never a stored real one). */
export function mintTestToken(claims: { iat: number; exp: number; scopes?: string[]; sub?: string; jti?: string }): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      uid: randomUUID(),
      jti: claims.jti ?? randomUUID(),
      scopes: claims.scopes ?? ['unites_legales_etablissements_insee', 'attestations_sociales', 'attestations_fiscales'],
      sub: claims.sub ?? 'Commune de Testville – registre des tiers',
      iat: claims.iat,
      exp: claims.exp,
      version: '1.0',
    }),
  ).toString('base64url');
  const signature = createHmac('sha256', 'test-secret').update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Every form in which a token could leak into text: clear, base64, URL-encoded, and its signature alone. */
export function leakForms(token: string): string[] {
  const signature = token.split('.')[2] as string;
  return [token, signature, Buffer.from(token).toString('base64'), encodeURIComponent(token), token.split('.')[1] as string];
}
