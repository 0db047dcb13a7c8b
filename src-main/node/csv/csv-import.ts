import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { checkIdentifier, normalizeIdentifier } from '../../common/identifiers';
import type { ColumnMapping, ImportField, ImportReport, RejectedRow } from '../../common/ipc-contract';
import type { VigieDatabase } from '../db/database';
import { SupplierRepository, type SupplierInput, type UpsertOutcome } from '../register/supplier-repository';
import { UserFacingError } from '../user-facing-error';
import { hasIdentifierColumn, looksLikeHeader, mappingFromContent, mappingFromHeaders } from './column-mapping';
import { decodeSample, openDecodedText, readByteOrderMark } from './csv-encoding';
import { stripFormulaGuard } from './formula-guard';

export interface ImportOptions {
  dryRun: boolean;
  /** The user's mapping; when absent, the one suggested from headers or content. */
  mapping?: ColumnMapping;
  /** Name shown in the report (the UI never learns the full path). */
  fileName?: string;
  now?: () => string;
}

type Delimiter = ';' | ',' | '\t';
const PREVIEW_ROWS = 10;
const SNIFF_ROWS = 50;
const SNIFF_BYTES = 64 * 1024;

/** Reads a CSV export from accounting software and merges it into the register in one transaction. */
export async function importSuppliersCsv(db: VigieDatabase, filePath: string, options: ImportOptions): Promise<ImportReport> {
  const bom = await readByteOrderMark(filePath);
  const delimiter = await sniffDelimiter(filePath, bom);
  const parsed = await parseRows(filePath, bom, delimiter, options.mapping);
  if (parsed.encoding === 'mixed') {
    parsed.warnings.unshift({
      line: 1,
      value: '',
      reason: 'Le fichier mélange deux encodages (UTF-8 et Windows-1252) : chaque ligne a été lue dans le sien, vérifiez les accents dans l’aperçu.',
    });
  }
  const report: ImportReport = {
    fileName: options.fileName ?? basename(filePath),
    dryRun: options.dryRun,
    encoding: parsed.encoding,
    delimiter,
    hasHeader: parsed.hasHeader,
    headers: parsed.headers,
    mapping: parsed.mapping,
    preview: parsed.preview,
    totalRows: parsed.totalRows,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: parsed.rejected,
    warnings: parsed.warnings,
  };
  if (!hasIdentifierColumn(parsed.mapping)) {
    if (!options.dryRun) {
      throw new UserFacingError('bad-input', 'Indiquez quelle colonne contient le SIRET ou le SIREN avant d’importer.');
    }
    return report;
  }
  const repository = new SupplierRepository(db, options.now);
  const counts: Record<UpsertOutcome, number> = { inserted: 0, updated: 0, unchanged: 0 };
  const rollback = new Error('dry run');
  try {
    db.transaction(() => {
      for (const input of parsed.accepted) counts[repository.upsert(input)] += 1;
      // a dry run does the same work and undoes it, so its figures are exactly what an import would do
      if (options.dryRun) throw rollback;
    })();
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return { ...report, ...counts };
}

async function sniffDelimiter(filePath: string, bom: ByteOrderMark): Promise<Delimiter> {
  const handle = await open(filePath, 'r');
  let sample: string;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    if (bytesRead === 0) throw new UserFacingError('bad-input', 'Le fichier est vide.', `${filePath}: 0 bytes`);
    sample = decodeSample(buffer.subarray(0, bytesRead), bom);
  } finally {
    await handle.close();
  }
  // the last line of the sample may be cut in the middle
  const lastBreak = sample.lastIndexOf('\n');
  if (lastBreak > 0) sample = sample.slice(0, lastBreak);
  const guess = Papa.parse<string[]>(sample, {
    preview: SNIFF_ROWS,
    skipEmptyLines: 'greedy',
    delimitersToGuess: [';', ',', '\t'],
  });
  const undetectable = guess.errors.some((e) => e.code === 'UndetectableDelimiter');
  if (!undetectable) {
    const delimiter = guess.meta.delimiter;
    if (delimiter === ';' || delimiter === ',' || delimiter === '\t') return delimiter;
  }
  // too few rows to judge consistency: the candidate seen most often wins, `;` (French Excel) on a tie
  const candidates: Delimiter[] = [';', ',', '\t'];
  const counts = candidates.map((d) => sample.split(d).length - 1);
  const best = Math.max(...counts);
  return best === 0 ? ';' : (candidates[counts.indexOf(best)] as Delimiter);
}

type ByteOrderMark = Awaited<ReturnType<typeof readByteOrderMark>>;

interface ParsedRows {
  encoding: ImportReport['encoding'];
  hasHeader: boolean;
  headers: string[];
  mapping: ColumnMapping;
  preview: string[][];
  totalRows: number;
  accepted: SupplierInput[];
  rejected: RejectedRow[];
  warnings: RejectedRow[];
}

function parseRows(
  filePath: string,
  bom: ByteOrderMark,
  delimiter: Delimiter,
  userMapping: ColumnMapping | undefined,
): Promise<ParsedRows> {
  const result: ParsedRows = {
    encoding: 'utf-8',
    hasHeader: false,
    headers: [],
    mapping: {},
    preview: [],
    totalRows: 0,
    accepted: [],
    rejected: [],
    warnings: [],
  };
  // rows read before the layout is known: the header and mapping are decided on the first rows
  let pending: { line: number; cells: string[] }[] | null = [];
  const seen = new Map<string, number>();
  let line = 0;
  let identifierMapped = false;

  const decideLayout = () => {
    const rows = pending ?? [];
    pending = null;
    const first = rows[0];
    if (first && looksLikeHeader(first.cells)) {
      result.hasHeader = true;
      result.headers = first.cells.map((c) => c.trim());
      rows.shift();
    }
    result.mapping =
      userMapping ?? (result.hasHeader ? mappingFromHeaders(result.headers) : mappingFromContent(rows.map((r) => r.cells)));
    identifierMapped = hasIdentifierColumn(result.mapping);
    if (!result.hasHeader) {
      const width = Math.max(0, ...rows.map((r) => r.cells.length));
      result.headers = Array.from({ length: width }, (_, i) => `Colonne ${i + 1}`);
    }
    for (const row of rows) acceptRow(row.line, row.cells);
  };

  const acceptRow = (rowLine: number, cells: string[]) => {
    result.totalRows += 1;
    if (result.preview.length < PREVIEW_ROWS) result.preview.push(cells);
    // without an identifier column nothing can be checked: the user is asked to map one first
    if (!identifierMapped) return;
    const outcome = toSupplierInput(cells, result.mapping);
    if (!outcome.ok) {
      result.rejected.push({ line: rowLine, value: outcome.value, reason: outcome.reason });
      return;
    }
    for (const warning of outcome.warnings) result.warnings.push({ line: rowLine, value: outcome.key, reason: warning });
    const earlier = seen.get(outcome.key);
    if (earlier !== undefined) {
      result.warnings.push({
        line: rowLine,
        value: outcome.key,
        reason: `Même établissement qu’à la ligne ${earlier} : cette ligne complète ou remplace la précédente.`,
      });
    }
    seen.set(outcome.key, rowLine);
    result.accepted.push(outcome.input);
  };

  return new Promise((resolve, reject) => {
    const decoded = openDecodedText(filePath, bom);
    const stream = decoded.stream;
    stream.on('error', (error: Error) => reject(error));
    Papa.parse<string[]>(stream, {
      delimiter,
      header: false,
      skipEmptyLines: false,
      step: (step) => {
        line += 1;
        const cells = step.data;
        if (step.errors.some((e) => e.code === 'MissingQuotes')) {
          // everything after an unclosed quote was read as one cell: say so rather than import it
          result.rejected.push({
            line,
            value: cells.join(' ').slice(0, 80),
            reason:
              'Guillemet ouvert et jamais refermé à partir de cette ligne : la suite du fichier a été lue comme une seule cellule. Corrigez le fichier puis recommencez.',
          });
          return;
        }
        if (cells.every((c) => c.trim() === '')) return;
        if (pending !== null) {
          pending.push({ line, cells });
          if (pending.length >= SNIFF_ROWS) decideLayout();
        } else {
          acceptRow(line, cells);
        }
      },
      complete: () => {
        if (pending !== null) decideLayout();
        result.encoding = decoded.encoding();
        if (result.totalRows === 0 && !result.hasHeader) {
          reject(new UserFacingError('bad-input', 'Le fichier ne contient aucune ligne.', `${filePath}: no rows`));
          return;
        }
        resolve(result);
      },
      error: (error: Error) => reject(error),
    });
  });
}

// control characters other than tab and line breaks come from broken exports and would corrupt display
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const FIELD_NAMES = {
  name: 'Raison sociale',
  accountingCode: 'Code tiers',
  address: 'Adresse',
  postalCode: 'Code postal',
  city: 'Ville',
  notes: 'Note',
} as const;

type RowOutcome =
  | { ok: true; key: string; input: SupplierInput; warnings: string[] }
  | { ok: false; value: string; reason: string };

const TRUE_WORDS = new Set(['oui', 'o', 'vrai', 'true', '1', 'actif', 'active', 'yes', 'y', 'x']);
const FALSE_WORDS = new Set(['non', 'n', 'faux', 'false', '0', 'inactif', 'inactive', 'no', 'clos', 'cessé', 'cesse']);

function toSupplierInput(cells: readonly string[], mapping: ColumnMapping): RowOutcome {
  const values: Partial<Record<ImportField, string>> = {};
  for (const [column, field] of Object.entries(mapping)) {
    const raw = cells[Number(column)];
    if (raw !== undefined) values[field] = stripFormulaGuard(raw.trim());
  }
  const warnings: string[] = [];
  const rawSiret = values.siret ?? '';
  const rawSiren = values.siren ?? '';
  const shown = rawSiret || rawSiren || cells.join(' ').slice(0, 80);
  if (normalizeIdentifier(rawSiret) === '' && normalizeIdentifier(rawSiren) === '') {
    return { ok: false, value: shown, reason: 'Ni SIRET ni SIREN sur cette ligne.' };
  }
  let siret: string | null = null;
  let siren: string | null = null;
  if (normalizeIdentifier(rawSiret) !== '') {
    const check = checkIdentifier(rawSiret);
    if (!check.ok) return { ok: false, value: rawSiret, reason: `SIRET invalide : ${check.message}` };
    if (check.kind === 'siret') {
      siret = check.value;
    } else {
      siren = check.value;
      warnings.push('La colonne SIRET contient un SIREN (9 chiffres) : le fournisseur est enregistré par son SIREN.');
    }
  }
  if (normalizeIdentifier(rawSiren) !== '') {
    const check = checkIdentifier(rawSiren, 'siren');
    if (!check.ok) return { ok: false, value: rawSiren, reason: `SIREN invalide : ${check.message}` };
    if (siret !== null && siret.slice(0, 9) !== check.value) {
      return {
        ok: false,
        value: `${rawSiren} / ${rawSiret}`,
        reason: 'Le SIREN ne correspond pas aux 9 premiers chiffres du SIRET.',
      };
    }
    siren = check.value;
  }
  const resolvedSiren = siret !== null ? siret.slice(0, 9) : (siren as string);
  const input: SupplierInput = { siren: resolvedSiren, siret };
  for (const field of ['name', 'accountingCode', 'address', 'postalCode', 'city', 'notes'] as const) {
    const value = values[field];
    const max = field === 'notes' ? 5_000 : 500;
    if (value !== undefined && value.length > max) {
      return { ok: false, value: `${value.slice(0, 40)}…`, reason: `${FIELD_NAMES[field]} : plus de ${max} caractères, au-delà de ce que le registre accepte.` };
    }
    if (value !== undefined && value !== '') input[field] = value.replace(CONTROL_CHARACTERS, '');
  }
  if (values.tags !== undefined && values.tags !== '') {
    input.tags = values.tags.split(/[,|]/).map((t) => t.trim()).filter((t) => t !== '');
  }
  if (values.active !== undefined && values.active !== '') {
    const word = values.active.toLowerCase();
    if (TRUE_WORDS.has(word)) input.active = true;
    else if (FALSE_WORDS.has(word)) input.active = false;
    else warnings.push(`Valeur « ${values.active} » non reconnue pour « Actif » (attendu : oui ou non) : ignorée.`);
  }
  return { ok: true, key: siret ?? `siren:${resolvedSiren}`, input, warnings };
}
