import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import Papa from 'papaparse';
import { neutralizeFormula } from './formula-guard';

export type WriteCsvRows = (rows: readonly (readonly string[])[]) => Promise<void>;

/**
 * Writes a CSV file as French Excel expects it (UTF-8 with a byte order mark, `;`, CRLF), every
 * cell guarded against formula injection. The rows go to a temporary file renamed at the end, so
 * an interrupted or failed export never leaves a truncated file under the chosen name, nor the
 * temporary file itself.
 */
export async function writeCsvFileAtomically(
  path: string,
  headers: readonly string[],
  produceRows: (writeRows: WriteCsvRows) => Promise<void>,
): Promise<void> {
  const temporary = `${path}.${process.pid}.part`;
  const out = createWriteStream(temporary, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const unparse = (rows: readonly (readonly string[])[]) =>
    Papa.unparse(
      rows.map((row) => row.map(neutralizeFormula)),
      { delimiter: ';', newline: '\r\n', quotes: false, header: false, escapeFormulae: false },
    );
  try {
    // Opening is asynchronous: wait for it, or a failure right after could run the clean-up
    // before the file exists and leave it behind.
    await once(out, 'ready');
    await write(`\ufeff${unparse([headers])}\r\n`);
    await produceRows(async (rows) => {
      if (rows.length > 0) await write(`${unparse(rows)}\r\n`);
    });
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
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
