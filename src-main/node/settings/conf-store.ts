import Conf from 'conf';
import type { KeyValueStore } from './key-value-store';

/** A JSON file under `dir`, written atomically (the CLI, the harness, tests). */
export function createConfStore(dir: string, name = 'vigie-settings'): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: name, projectName: 'vigie' });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
  };
}
