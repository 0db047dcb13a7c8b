import Store from 'electron-store';
import type { KeyValueStore } from '../node/settings/key-value-store';

/** Settings and the token's ciphertext, in a JSON file under the user-data folder (atomic writes). */
export function createElectronKeyValueStore(): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name: 'vigie-settings' });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}
