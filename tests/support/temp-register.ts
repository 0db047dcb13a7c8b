import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type VigieDatabase } from '../../src-main/node/db/database';

/** A register database in a fresh temporary folder, removed by `dispose`. */
export function tempRegister(): { dir: string; db: VigieDatabase; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'));
  const db = openDatabase(join(dir, 'vigie.sqlite3'));
  return {
    dir,
    db,
    dispose: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function countSuppliers(db: VigieDatabase): number {
  return (db.prepare('SELECT count(*) AS n FROM suppliers').get() as { n: number }).n;
}
