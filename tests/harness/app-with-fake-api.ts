// The renderer harness over a core wired as the Electron shell wires it, talking to the local
// fake API Entreprise: settings on disk (conf), a token cipher, desktop actions that are recorded
// instead of opening a browser, and the commune's settings pointing at the fake API.
import type { FileDialogs } from '../../src-main/node/app/file-dialogs';
import { startFakeApi, type FakeApiHandle } from '../../src-main/node/fake-api/fake-api-server';
import { createConfStore } from '../../src-main/node/settings/conf-store';
import { LocalKeyCipher, type SecretCipher } from '../../src-main/node/token/secret-cipher';
import { fakeDialogs } from './fake-dialogs';
import { makeTempDir, type TempDir } from './fixtures';
import { startRendererHarness, type RendererHarness } from './renderer-harness';

/** The commune's SIRET in these tests (a real, valid one: the DINUM). */
export const COMMUNE_SIRET = '13002526500013';

const DAY_SECONDS = 86_400;

export interface AppWithFakeApiOptions {
  /**
   * 'os' (default): a stand-in for the system keychain (safeStorage), so tokens are stored
   * without asking. 'weak': no cipher given, the core falls back on its key file and the vault
   * asks the user to agree first.
   */
  protection?: 'os' | 'weak';
  /** false: the core gets no desktop actions, as when no system browser can be opened. Default true. */
  desktop?: boolean;
  /** Size of the fake API's synthetic population. Default 20 (the tests only need /privileges). */
  companyCount?: number;
  dialogs?: FileDialogs;
  /** Size of the register « Essayer avec des données de démonstration » builds (default: the app's). */
  demoSupplierCount?: number;
}

export interface MintOptions {
  /** Default: 18 months after issue, as real tokens. */
  expiresInDays?: number;
  /** Default: issued now. */
  issuedDaysAgo?: number;
  /** Default: every scope of the catalogue. */
  scopes?: readonly string[];
}

export interface AppWithFakeApi {
  api: FakeApiHandle;
  harness: RendererHarness;
  temp: TempDir;
  /** The addresses the core asked the system browser to open, in order. */
  opened: string[];
  /** Each time the core asked the shell to start (or no longer start) Vigie with the session. */
  loginItem: { enabled: boolean; startInTray: boolean }[];
  /** A token the fake API accepts. */
  mintToken(options?: MintOptions): string;
  /** Stores a token through the core, as the Jeton screen does (consenting when the protection is weak). */
  storeToken(token: string): Promise<void>;
  close(): Promise<void>;
}

export async function startAppWithFakeApi(options: AppWithFakeApiOptions = {}): Promise<AppWithFakeApi> {
  const api = await startFakeApi({ seed: 'vigie-e2e', companyCount: options.companyCount ?? 20 });
  let temp: TempDir | null = null;
  let harness: RendererHarness | null = null;
  const opened: string[] = [];
  const loginItem: AppWithFakeApi['loginItem'] = [];
  try {
    temp = await makeTempDir();
    const keyFile = new LocalKeyCipher(temp.file('keychain-stand-in.key'));
    const osCipher: SecretCipher = {
      protection: () => 'os',
      encrypt: (plain) => keyFile.encrypt(plain),
      decrypt: (ciphertext) => keyFile.decrypt(ciphertext),
    };
    harness = await startRendererHarness({
      databasePath: temp.file('vigie.sqlite3'),
      dialogs: options.dialogs ?? fakeDialogs(),
      demoSupplierCount: options.demoSupplierCount,
      core: {
        userDataDir: temp.path,
        store: createConfStore(temp.path),
        ...((options.protection ?? 'os') === 'os' ? { cipher: osCipher } : {}),
        ...(options.desktop === false
          ? {}
          : {
              desktop: {
                openExternal: (url: string) => Promise.resolve(void opened.push(url)),
                setOpenAtLogin: (enabled: boolean, { startInTray }: { startInTray: boolean }) => void loginItem.push({ enabled, startInTray }),
              },
            }),
      },
    });
    const settings = await harness.core.dispatch('settings.update', {
      communeSiret: COMMUNE_SIRET,
      apiEnvironment: 'local',
      localApiUrl: api.url,
    });
    if (!settings.ok) throw new Error(`settings.update failed: ${settings.error.message}`);
  } catch (error) {
    await harness?.close();
    await temp?.remove();
    await api.close();
    throw error;
  }
  const ready = harness;
  const folder = temp;

  return {
    api,
    harness: ready,
    temp: folder,
    opened,
    loginItem,
    mintToken: ({ expiresInDays, issuedDaysAgo = 0, scopes } = {}) => {
      const issuedAt = Math.floor(Date.now() / 1000) - issuedDaysAgo * DAY_SECONDS;
      return api.mintToken({
        issuedAt,
        ...(expiresInDays === undefined ? {} : { expiresAt: Math.floor(Date.now() / 1000) + expiresInDays * DAY_SECONDS }),
        ...(scopes === undefined ? {} : { scopes }),
      });
    },
    storeToken: async (token) => {
      const answer = await ready.core.dispatch('token.submit', { token, consentToWeakProtection: true });
      if (!answer.ok) throw new Error(`token.submit failed: ${answer.error.message}`);
      const result = answer.value as { status: string; message?: string };
      if (result.status !== 'stored') throw new Error(`token not stored: ${result.message ?? result.status}`);
    },
    close: async () => {
      let firstError: unknown = null;
      for (const step of [() => ready.close(), () => api.close(), () => folder.remove()]) {
        try {
          await step();
        } catch (error) {
          firstError ??= error;
        }
      }
      if (firstError !== null) throw firstError;
    },
  };
}
