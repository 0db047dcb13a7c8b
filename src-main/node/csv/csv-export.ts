import type { Supplier } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import { SupplierRepository } from '../register/supplier-repository';
import { writeCsvFileAtomically } from './csv-file-writer';

export const EXPORT_HEADERS = [
  'SIRET',
  'SIREN',
  'Raison sociale',
  'Code tiers',
  'Adresse',
  'Code postal',
  'Ville',
  'Étiquettes',
  'Notes',
  'Actif',
] as const;

function toCells(s: Supplier): string[] {
  return [
    s.siret ?? '',
    s.siren,
    s.name,
    s.accountingCode ?? '',
    s.address ?? '',
    s.postalCode ?? '',
    s.city ?? '',
    s.tags.join(', '),
    s.notes ?? '',
    s.active ? 'oui' : 'non',
  ];
}

const BATCH = 1000;

/** Writes the whole register in the format of the import, so an export re-imports as is. */
export async function exportSuppliersCsv(db: VigieDatabase, filePath: string): Promise<number> {
  let count = 0;
  await writeCsvFileAtomically(filePath, EXPORT_HEADERS, async (writeRows) => {
    let batch: string[][] = [];
    for (const supplier of new SupplierRepository(db).iterateAll()) {
      batch.push(toCells(supplier));
      count += 1;
      if (batch.length === BATCH) {
        await writeRows(batch);
        batch = [];
      }
    }
    await writeRows(batch);
  });
  return count;
}
