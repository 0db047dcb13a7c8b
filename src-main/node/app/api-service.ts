// The API client as the app uses it: rebuilt when the settings change (environment, commune),
// sharing one rate limiter across rebuilds so that no window is forgotten.
import type { ApiEntrepriseClient, CallAttemptRecord, HttpTransport, TokenProvider } from '../api-entreprise/api-client';
import type { ApiEntrepriseError } from '../api-entreprise/api-error';
import { createApiClient } from '../api-entreprise/create-api-client';
import { normalizeAnswer } from '../api-entreprise/normalizers/normalize-answer';
import { RateLimiter } from '../api-entreprise/rate-limiter';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { apiBaseUrl, type SettingsRepository } from '../settings/app-settings';
import { createPrivilegesChecker } from '../token/privileges-check';
import { UserFacingError } from '../user-facing-error';

export interface ApiServiceOptions {
  settings: SettingsRepository;
  transport: HttpTransport;
  documentsRoot: string;
  clock: Clock;
  logger: Logger;
  tokenProvider: TokenProvider;
  onTokenRefused: (error: ApiEntrepriseError) => void;
  /** Every HTTP attempt, for the call journal. */
  onAttempt?: (record: CallAttemptRecord) => void;
}

export class ApiService {
  readonly limiter: RateLimiter;
  private current: ApiEntrepriseClient | null = null;

  constructor(private readonly options: ApiServiceOptions) {
    this.limiter = new RateLimiter({ clock: options.clock });
  }

  /** The client for the current settings; a French error when the commune's SIRET is missing. */
  client(): ApiEntrepriseClient {
    if (this.current) return this.current;
    const settings = this.options.settings.get();
    if (settings.communeSiret === '') {
      throw new UserFacingError('bad-input', 'Renseignez d’abord le SIRET de la commune dans les paramètres : il accompagne chaque demande.');
    }
    this.current = createApiClient({
      baseUrl: apiBaseUrl(settings),
      transport: this.options.transport,
      tokenProvider: this.options.tokenProvider,
      defaults: { recipient: settings.communeSiret, context: settings.defaultContext, object: settings.defaultObject },
      documentsRoot: this.options.documentsRoot,
      clock: this.options.clock,
      limiter: this.limiter,
      logger: this.options.logger,
      overrides: { onTokenRefused: this.options.onTokenRefused, onAttempt: this.options.onAttempt },
    }).client;
    return this.current;
  }

  /** GET /privileges with a candidate token, on the environment chosen in the settings. */
  checkPrivileges(candidate: string): Promise<string[]> {
    const settings = this.options.settings.get();
    return createPrivilegesChecker({
      baseUrl: apiBaseUrl(settings),
      transport: this.options.transport,
      defaults: { recipient: settings.communeSiret, context: settings.defaultContext, object: settings.defaultObject },
      limiter: this.limiter,
      clock: this.options.clock,
      normalize: normalizeAnswer,
      onAttempt: this.options.onAttempt,
    })(candidate);
  }

  /** The refusal latched by the current client, if any (the refresh engine stops on it). */
  currentTokenRefusal(): ApiEntrepriseError | null {
    return this.current?.tokenRefusal ?? null;
  }

  settingsChanged(): void {
    this.current = null;
  }

  /** A new token replaced a refused one: calls may resume. */
  tokenChanged(): void {
    this.current?.acceptNewToken();
  }
}
