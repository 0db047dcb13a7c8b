import { createRegister } from './0001-create-register';
import { refreshEngine } from './0002-refresh-engine';
import type { Migration } from './migration';

/** Every migration, in order. Released ones are never edited: add a new file instead. */
export const migrations: readonly Migration[] = [createRegister, refreshEngine];
