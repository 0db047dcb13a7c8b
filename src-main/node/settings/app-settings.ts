// The commune's settings: who receives the data (its SIRET), why (context and object), which API.
import { z } from 'zod';
import { isValidSiret } from '../../common/identifiers';
import { API_BASE_URLS, type ApiEnvironment } from '../api-entreprise/api-environment';
import type { KeyValueStore } from './key-value-store';

export const appSettingsSchema = z.object({
  /** SIRET of the commune: the `recipient` of every call. Empty until the user sets it. */
  communeSiret: z.string().refine((v) => v === '' || isValidSiret(v), 'SIRET invalide'),
  defaultContext: z.string().trim().min(1).max(250),
  defaultObject: z.string().trim().min(1).max(49),
  apiEnvironment: z.enum(['production', 'staging', 'local']),
  /** Base URL of the local fake API, when that environment is chosen. */
  localApiUrl: z.string().url(),
  notifications: z.boolean(),
  /** Closing the window leaves Vigie in the notification area, so the night's refresh still runs. */
  keepRunningInTray: z.boolean(),
  /** Starts Vigie with the user's session (straight to the notification area when it stays running there). */
  openAtLogin: z.boolean(),
});

export type AppSettings = z.infer<typeof appSettingsSchema>;

export const DEFAULT_SETTINGS: AppSettings = {
  communeSiret: '',
  defaultContext: 'Gestion d’un référentiel tiers',
  defaultObject: 'Mise à jour du registre des tiers',
  apiEnvironment: 'production',
  localApiUrl: 'http://127.0.0.1:8750',
  notifications: true,
  keepRunningInTray: true,
  openAtLogin: false,
};

const KEY = 'settings';

export class SettingsRepository {
  constructor(private readonly store: KeyValueStore) {}

  get(): AppSettings {
    const parsed = appSettingsSchema.partial().safeParse(this.store.get(KEY) ?? {});
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  }

  update(patch: Partial<AppSettings>): AppSettings {
    const next = appSettingsSchema.parse({ ...this.get(), ...patch });
    this.store.set(KEY, next);
    return next;
  }
}

export function apiBaseUrl(settings: AppSettings): string {
  const environment: ApiEnvironment = settings.apiEnvironment;
  return environment === 'local' ? settings.localApiUrl : API_BASE_URLS[environment];
}
