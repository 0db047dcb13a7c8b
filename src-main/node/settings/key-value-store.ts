/**
 * A small persistent JSON store: electron-store in the app (under the user-data folder), `conf`
 * in the CLI and tests. Both write atomically, so a value is either the old one or the new one.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** For tests and the harness: nothing on disk. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  get(key: string): unknown {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as unknown);
  }

  set(key: string, value: unknown): void {
    this.values.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.values.delete(key);
  }
}
