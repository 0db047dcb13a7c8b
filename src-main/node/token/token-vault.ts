// The API Entreprise token: kept only as ciphertext, decrypted only in the main process, checked
// with GET /privileges before it replaces the previous one, and described to the renderer by a
// summary that holds no part of it.
import { ENDPOINTS, ENDPOINT_IDS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import { ApiEntrepriseError, type ApiErrorKind } from '../api-entreprise/api-error';
import { type Clock, systemClock } from '../clock';
import type { Logger } from '../logger';
import type { KeyValueStore } from '../settings/key-value-store';
import { checkTokenShape, formatFrenchDate, type TokenClaims } from './jwt-claims';
import type { SecretCipher } from './secret-cipher';
import { registerSecret } from '../logging/redaction';
import { z } from 'zod';

export type TokenState = 'absent' | 'valide' | 'expire_bientot' | 'expire' | 'revoque' | 'refuse';

import { REMINDER_THRESHOLDS_DAYS } from '../../common/token-reminders';

export { REMINDER_THRESHOLDS_DAYS };
const EXPIRING_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

/** Where a token is renewed: opened in the system browser, never with the token in it. */
export const API_ENTREPRISE_ACCOUNT_URL = 'https://entreprise.api.gouv.fr/compte';

export interface TokenSummary {
  state: TokenState;
  /** The authorisation's title (`sub`). */
  title: string | null;
  /** First characters of the token id, to tell two tokens apart. */
  shortId: string | null;
  issuedAt: string | null;
  expiresAt: string | null;
  daysLeft: number | null;
  /** Share of the lifetime already used, 0 to 1, for the lifetime bar. */
  lifetimeUsed: number | null;
  endpoints: { id: EndpointId; label: string; allowed: boolean }[];
  lastCheckAt: string | null;
  protection: 'os' | 'weak' | null;
  /** French: what the state means and what to do. */
  message: string;
}

export type SubmitResult =
  | { status: 'stored'; summary: TokenSummary }
  | { status: 'needs-consent'; message: string }
  | { status: 'refused'; message: string };

export interface Reminder {
  thresholdDays: number;
  daysLeft: number;
  title: string;
  message: string;
}

/** Confirms a candidate token with the API and lists its scopes; throws ApiEntrepriseError. */
export type PrivilegesChecker = (candidateToken: string) => Promise<string[]>;

const storedRecordSchema = z.object({
  version: z.literal(1),
  ciphertext: z.string().min(1),
  protection: z.enum(['os', 'weak']),
  claims: z.object({
    sub: z.string().nullable(),
    id: z.string(),
    iat: z.number(),
    exp: z.number(),
    scopes: z.array(z.string()),
  }),
  privileges: z.array(z.string()),
  lastCheckAt: z.string(),
  refusal: z.enum(['token_expired', 'token_blacklisted', 'token_invalid']).nullable(),
  remindersShown: z.array(z.number()),
});
type StoredRecord = z.infer<typeof storedRecordSchema>;

const RECORD_KEY = 'apiToken';

export interface TokenVaultOptions {
  store: KeyValueStore;
  cipher: SecretCipher;
  checkPrivileges: PrivilegesChecker;
  clock?: Clock;
  logger: Logger;
  /** A new token is in place (the client may resume calls), or none is. */
  onChange?: () => void;
}

export class TokenVault {
  private readonly clock: Clock;
  /** Decrypted once per process: the ciphertext on disk is the only copy that persists. */
  private cached: string | null = null;

  constructor(private readonly options: TokenVaultOptions) {
    this.clock = options.clock ?? systemClock;
  }

  private record(): StoredRecord | null {
    const raw = this.options.store.get(RECORD_KEY);
    if (raw === undefined) return null;
    const parsed = storedRecordSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.logger.warn('token vault: stored record unreadable, ignored');
      return null;
    }
    return parsed.data;
  }

  /** Checks, confirms with the API, encrypts and stores; the previous token stays until all of that succeeded. */
  async submit(raw: string, consentToWeakProtection = false): Promise<SubmitResult> {
    const shape = checkTokenShape(raw, this.clock.now());
    if (!shape.ok) return { status: 'refused', message: shape.message };
    registerSecret(shape.token);
    const protection = this.options.cipher.protection();
    if (protection === 'weak' && !consentToWeakProtection) {
      return {
        status: 'needs-consent',
        message:
          'Cet ordinateur ne fournit pas de coffre-fort système pour protéger le jeton (trousseau absent). ' +
          'Vigie peut le chiffrer avec une clé gardée sur ce poste, ce qui protège moins bien : ' +
          'une personne ayant accès à votre session pourrait le retrouver. Acceptez-vous de l’enregistrer ainsi ?',
      };
    }
    let privileges: string[];
    try {
      privileges = await this.options.checkPrivileges(shape.token);
    } catch (error) {
      const message = error instanceof ApiEntrepriseError ? refusalMessage(error) : 'La vérification du jeton a échoué.';
      this.options.logger.warn('token vault: candidate token not confirmed', {
        kind: error instanceof ApiEntrepriseError ? error.kind : 'unexpected',
      });
      return { status: 'refused', message };
    }
    const record: StoredRecord = {
      version: 1,
      ciphertext: this.options.cipher.encrypt(shape.token).toString('base64'),
      protection,
      claims: claimsToStore(shape.claims),
      privileges,
      lastCheckAt: new Date(this.clock.now()).toISOString(),
      refusal: null,
      remindersShown: remindersAlreadyPast(shape.claims.exp * 1000, this.clock.now()),
    };
    this.options.store.set(RECORD_KEY, record);
    this.cached = shape.token;
    this.options.logger.info('token vault: token stored', { protection, privileges: privileges.length });
    this.options.onChange?.();
    return { status: 'stored', summary: this.summary() };
  }

  remove(): void {
    this.options.store.delete(RECORD_KEY);
    this.cached = null;
    this.options.logger.info('token vault: token removed');
    this.options.onChange?.();
  }

  /** For the API client only: the token, or an error saying why no call may be made. */
  tokenForRequest(): string | null {
    const record = this.record();
    if (!record) return null;
    if (record.refusal) throw refusalError(record.refusal);
    if (record.claims.exp * 1000 <= this.clock.now()) throw refusalError('token_expired');
    if (this.cached === null) {
      this.cached = this.options.cipher.decrypt(Buffer.from(record.ciphertext, 'base64'));
      // whatever is logged from now on has this value masked, in every encoding
      registerSecret(this.cached);
    }
    return this.cached;
  }

  /** The API refused the token (401): remember why, so that nothing calls with it again. */
  markRefused(kind: ApiErrorKind): void {
    const record = this.record();
    if (!record) return;
    if (kind !== 'token_expired' && kind !== 'token_blacklisted' && kind !== 'token_invalid') return;
    this.options.store.set(RECORD_KEY, { ...record, refusal: kind, lastCheckAt: new Date(this.clock.now()).toISOString() });
    this.options.logger.warn('token vault: token refused by the API', { kind });
  }

  /** The scopes /privileges listed, or null without a token. */
  privileges(): ReadonlySet<string> | null {
    const record = this.record();
    return record ? new Set(record.privileges) : null;
  }

  /** The daily check: asks /privileges again with the stored token. */
  async recheck(): Promise<TokenSummary> {
    const record = this.record();
    if (!record || record.refusal) return this.summary();
    let token: string | null;
    try {
      token = this.tokenForRequest();
    } catch {
      return this.summary();
    }
    if (!token) return this.summary();
    try {
      const privileges = await this.options.checkPrivileges(token);
      this.options.store.set(RECORD_KEY, { ...record, privileges, lastCheckAt: new Date(this.clock.now()).toISOString() });
    } catch (error) {
      if (error instanceof ApiEntrepriseError && error.refusesToken) this.markRefused(error.kind);
      else this.options.logger.warn('token vault: daily check failed', { kind: error instanceof ApiEntrepriseError ? error.kind : 'unexpected' });
    }
    return this.summary();
  }

  summary(): TokenSummary {
    const record = this.record();
    const now = this.clock.now();
    if (!record) {
      return {
        state: 'absent',
        title: null,
        shortId: null,
        issuedAt: null,
        expiresAt: null,
        daysLeft: null,
        lifetimeUsed: null,
        endpoints: ENDPOINT_IDS.filter((id) => id !== 'privileges').map((id) => ({ id, label: ENDPOINTS[id].label, allowed: false })),
        lastCheckAt: null,
        protection: null,
        message: 'Aucun jeton n’est enregistré : collez le jeton API Entreprise de la commune pour commencer.',
      };
    }
    const { claims } = record;
    const expiresMs = claims.exp * 1000;
    const daysLeft = Math.max(0, Math.ceil((expiresMs - now) / DAY_MS));
    const state = stateOf(record, now);
    const allowed = new Set(record.privileges);
    return {
      state,
      title: claims.sub,
      shortId: claims.id.slice(0, 8),
      issuedAt: new Date(claims.iat * 1000).toISOString(),
      expiresAt: new Date(expiresMs).toISOString(),
      daysLeft,
      lifetimeUsed: Math.min(1, Math.max(0, (now - claims.iat * 1000) / (expiresMs - claims.iat * 1000))),
      endpoints: ENDPOINT_IDS.filter((id) => id !== 'privileges').map((id) => ({
        id,
        label: ENDPOINTS[id].label,
        allowed: allowed.has(ENDPOINTS[id].scope),
      })),
      lastCheckAt: record.lastCheckAt,
      protection: record.protection,
      message: stateMessage(state, claims.exp, daysLeft),
    };
  }

  /** The reminder to show now, if a threshold was crossed and not yet shown. */
  dueReminder(): Reminder | null {
    const record = this.record();
    if (!record || record.refusal) return null;
    const daysLeft = Math.max(0, Math.ceil((record.claims.exp * 1000 - this.clock.now()) / DAY_MS));
    const crossed = REMINDER_THRESHOLDS_DAYS.filter((t) => daysLeft <= t && !record.remindersShown.includes(t));
    if (crossed.length === 0) return null;
    const threshold = Math.min(...crossed);
    return {
      thresholdDays: threshold,
      daysLeft,
      title: daysLeft === 0 ? 'Le jeton API Entreprise expire aujourd’hui' : `Le jeton API Entreprise expire dans ${daysLeft} jour${daysLeft > 1 ? 's' : ''}`,
      message:
        `Il expire le ${formatFrenchDate(record.claims.exp)}. Demandez un nouveau jeton dans votre espace API Entreprise ` +
        '(bouton « Ouvrir l’espace API Entreprise »), puis collez-le dans l’écran Jeton de Vigie.',
    };
  }

  /** The reminder was shown: it and every earlier threshold are not shown again, even after a restart. */
  acknowledgeReminder(thresholdDays: number): void {
    const record = this.record();
    if (!record) return;
    const shown = new Set(record.remindersShown);
    for (const t of REMINDER_THRESHOLDS_DAYS) if (t >= thresholdDays) shown.add(t);
    this.options.store.set(RECORD_KEY, { ...record, remindersShown: [...shown].sort((a, b) => b - a) });
  }
}

function claimsToStore(claims: TokenClaims): StoredRecord['claims'] {
  return { sub: claims.sub ?? null, id: claims.jti ?? claims.uid ?? '', iat: claims.iat, exp: claims.exp, scopes: claims.scopes };
}

/** A token stored 20 days before expiry must not fire the 90, 60 and 30-day reminders at once. */
function remindersAlreadyPast(expiresMs: number, now: number): number[] {
  const daysLeft = Math.ceil((expiresMs - now) / DAY_MS);
  const crossed = REMINDER_THRESHOLDS_DAYS.filter((t) => daysLeft <= t);
  const mostUrgent = crossed.length > 0 ? Math.min(...crossed) : null;
  return crossed.filter((t) => t !== mostUrgent);
}

function stateOf(record: StoredRecord, now: number): TokenState {
  if (record.refusal === 'token_blacklisted') return 'revoque';
  if (record.refusal === 'token_invalid') return 'refuse';
  if (record.refusal === 'token_expired' || record.claims.exp * 1000 <= now) return 'expire';
  return record.claims.exp * 1000 - now <= EXPIRING_SOON_DAYS * DAY_MS ? 'expire_bientot' : 'valide';
}

function stateMessage(state: TokenState, exp: number, daysLeft: number): string {
  const date = formatFrenchDate(exp);
  switch (state) {
    case 'valide':
      return `Jeton valide jusqu’au ${date} (${daysLeft} jours).`;
    case 'expire_bientot':
      return `Le jeton expire le ${date} : demandez dès maintenant un nouveau jeton dans votre espace API Entreprise.`;
    case 'expire':
      return `Le jeton a expiré le ${date} : Vigie n’interroge plus API Entreprise. Demandez un nouveau jeton et collez-le ici.`;
    case 'revoque':
      return 'Le jeton a été révoqué par API Entreprise car il a probablement été divulgué. Vigie n’interroge plus l’API : demandez un nouveau jeton sans attendre et signalez l’incident à votre responsable.';
    case 'refuse':
      return 'API Entreprise refuse ce jeton : Vigie n’interroge plus l’API. Vérifiez que le jeton a été copié en entier, ou demandez-en un nouveau.';
    case 'absent':
      return 'Aucun jeton n’est enregistré.';
  }
}

function refusalError(kind: 'token_expired' | 'token_blacklisted' | 'token_invalid'): ApiEntrepriseError {
  return ApiEntrepriseError.local(kind, `stored token not usable (${kind})`);
}

function refusalMessage(error: ApiEntrepriseError): string {
  if (error.refusesToken) return `API Entreprise refuse ce jeton. ${error.userMessage}`;
  if (error.kind === 'timeout' || error.kind === 'network' || error.retryable) {
    return 'Impossible de vérifier le jeton auprès d’API Entreprise pour l’instant (réseau ou service indisponible). Le jeton précédent reste en place ; réessayez plus tard.';
  }
  return `Le jeton n’a pas pu être vérifié : ${error.userMessage}`;
}
