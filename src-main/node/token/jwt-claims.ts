// Reads an API Entreprise token without trusting it: three base64url parts, JSON claims with an
// expiry, an issue date, an id and a list of scopes. The signature is not checked here (only
// API Entreprise can); GET /privileges confirms the token before it is stored.
import { z } from 'zod';

const claimsSchema = z
  .object({
    uid: z.string().min(1).optional(),
    jti: z.string().min(1).optional(),
    sub: z.string().optional(),
    iat: z.number().int().positive(),
    exp: z.number().int().positive(),
    scopes: z.array(z.string()),
    version: z.string().optional(),
  })
  .refine((c) => c.jti !== undefined || c.uid !== undefined, { message: 'jti or uid required' });

export type TokenClaims = z.infer<typeof claimsSchema>;

export type TokenShapeCheck =
  | { ok: true; token: string; claims: TokenClaims }
  | { ok: false; reason: 'empty' | 'shape' | 'claims' | 'expired'; message: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function formatFrenchDate(epochSeconds: number): string {
  return new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' }).format(
    new Date(epochSeconds * 1000),
  );
}

/** Checks what the user pasted; the French messages are shown as they are. */
export function checkTokenShape(raw: string, nowMs: number): TokenShapeCheck {
  // people paste with spaces, line breaks or the "Bearer " prefix copied from documentation
  const token = raw.trim().replace(/^Bearer\s+/i, '').replace(/\s+/g, '');
  if (token === '') return { ok: false, reason: 'empty', message: 'Collez le jeton API Entreprise dans le champ.' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => p === '' || !BASE64URL.test(p))) {
    return {
      ok: false,
      reason: 'shape',
      message: 'Ce texte n’est pas un jeton API Entreprise : un jeton est formé de trois parties séparées par des points.',
    };
  }
  const header = decodeJson(parts[0] as string);
  const payload = decodeJson(parts[1] as string);
  if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) {
    return { ok: false, reason: 'shape', message: 'Ce jeton est illisible : vérifiez qu’il a été copié en entier.' };
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    return {
      ok: false,
      reason: 'claims',
      message: 'Ce jeton ne contient pas les informations attendues (date d’expiration, habilitations) : est-ce bien un jeton API Entreprise ?',
    };
  }
  if (claims.data.exp * 1000 <= nowMs) {
    return {
      ok: false,
      reason: 'expired',
      message: `Ce jeton a expiré le ${formatFrenchDate(claims.data.exp)} : demandez-en un nouveau sur votre espace API Entreprise.`,
    };
  }
  return { ok: true, token, claims: claims.data };
}
