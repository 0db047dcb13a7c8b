import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import Papa from 'papaparse';
import type { Supplier } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import { SupplierRepository } from '../register/supplier-repository';
import { neutralizeFormula } from './formula-guard';

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
  ].map(neutralizeFormula);
}

const BATCH = 1000;

/**
 * Writes the register as French Excel expects it: UTF-8 with a byte order mark, `;` between
 * cells, CRLF line ends. Written to a temporary file and renamed, so an interrupted export never
 * leaves a truncated file under the chosen name.
 */
export async function exportSuppliersCsv(db: VigieDatabase, filePath: string): Promise<number> {
  const temporary = `${filePath}.${process.pid}.part`;
  const out = createWriteStream(temporary, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const unparse = (rows: string[][]) =>
    Papa.unparse(rows, { delimiter: ';', newline: '\r\n', quotes: false, header: false, escapeFormulae: false });
  let count = 0;
  try {
    // Opening is asynchronous: wait for it, or a failure right after could run the clean-up
    // before the file exists and leave it behind.
    await once(out, 'ready');
    await write(`\ufeff${unparse([[...EXPORT_HEADERS]])}\r\n`);
    let batch: string[][] = [];
    for (const supplier of new SupplierRepository(db).iterateAll()) {
      batch.push(toCells(supplier));
      count += 1;
      if (batch.length === BATCH) {
        await write(`${unparse(batch)}\r\n`);
        batch = [];
      }
    }
    if (batch.length > 0) await write(`${unparse(batch)}\r\n`);
    out.end();
    await once(out, 'finish');
    await rename(temporary, filePath);
    return count;
  } catch (error) {
    if (!out.closed) {
      // A write still queued fails once the stream is destroyed; that error is not the cause.
      await new Promise<void>((resolve) => {
        out.on('error', () => undefined);
        out.once('close', () => resolve());
        out.destroy();
      });
    }
    await rm(temporary, { force: true });
    throw error;
  }
}
