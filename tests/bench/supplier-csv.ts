// A register export as the accounting software of a French town hall writes it: Windows-1252,
// semicolons, CRLF, a header row, names with accents and apostrophes, valid SIRETs (Luhn),
// second establishments of some companies, codes tiers, categories and an "Actif" column.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { ACTIVITIES, ASSOCIATION_WORDS, FIRST_NAMES, PLACE_WORDS, STREET_NAMES, STREET_TYPES, SURNAMES, TOWNS } from '../../src-main/node/fake-api/french-reference-data';
import { makeSiret } from '../support/identifiers-fixture';
import { pick, seededRandom } from './bench-stats';

export const CSV_HEADER = ['Code tiers', 'Raison sociale', 'SIRET', 'Adresse', 'Code postal', 'Ville', 'Catégorie', 'Actif'];

const MORE_TOWNS: readonly { name: string; postalCode: string }[] = [
  { name: 'SAINT-ÉTIENNE', postalCode: '42000' },
  { name: 'BÉZIERS', postalCode: '34500' },
  { name: 'NÎMES', postalCode: '30000' },
  { name: 'ÉPINAL', postalCode: '88000' },
  { name: 'CHÂLONS-EN-CHAMPAGNE', postalCode: '51000' },
  { name: 'ÉVREUX', postalCode: '27000' },
  { name: 'LE MANS', postalCode: '72000' },
  { name: 'PÉRIGUEUX', postalCode: '24000' },
  { name: 'SAINT-LÔ', postalCode: '50000' },
  { name: 'CAHORS', postalCode: '46000' },
  { name: 'VILLEFRANCHE-DE-ROUERGUE', postalCode: '12200' },
  { name: 'L’ISLE-SUR-LA-SORGUE', postalCode: '84800' },
];
const ALL_TOWNS = [...TOWNS.map((t) => ({ name: t.name, postalCode: t.postalCode })), ...MORE_TOWNS];
const LEGAL_SHORT = ['SARL', 'SAS', 'SASU', 'EURL', 'SA', 'SCOP', 'GAEC'];
const CATEGORIES = ['Travaux', 'Fournitures', 'Services', 'Restauration scolaire', 'Voirie', 'Espaces verts', 'Informatique', 'Associations'];
const CONNECTORS = ['ET FILS', 'ET ASSOCIÉS', 'FRÈRES', '& CIE'];

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s\-'’])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** One invented supplier name, in one of the shapes seen in real registers. */
function supplierName(random: () => number, town: string): string {
  const trade = pick(random, ACTIVITIES).trade;
  const surname = pick(random, SURNAMES);
  const roll = random();
  let name: string;
  if (roll < 0.2) name = `${trade} ${surname}`;
  else if (roll < 0.35) name = `${pick(random, LEGAL_SHORT)} ${surname} ${trade}`;
  else if (roll < 0.48) name = `${trade} ${pick(random, PLACE_WORDS)}`;
  else if (roll < 0.6) name = `${surname} ${pick(random, random() < 0.5 ? FIRST_NAMES.M : FIRST_NAMES.F)}`;
  else if (roll < 0.68) name = `${pick(random, ASSOCIATION_WORDS)} DE ${town}`;
  else if (roll < 0.74) name = `SOCIÉTÉ GÉNÉRALE DE ${trade} ${pick(random, PLACE_WORDS)}`;
  else if (roll < 0.82) name = `SOCIÉTÉ ${surname} ${pick(random, CONNECTORS)}`;
  else if (roll < 0.9) name = `ÉTABLISSEMENTS ${surname}`;
  else name = `${trade} ${surname} ${pick(random, CONNECTORS)}`;
  // exports mix capitals and title case
  return random() < 0.3 ? titleCase(name) : name;
}

/**
 * The SIRET of establishment `nic` of the n-th company. makeSiret(n) alone gives SIRENs that all
 * start with "1000" for small n; real ones are spread over the whole range, and a search typed
 * from an invoice must not match the whole register on its first digits. Multiplying by a prime
 * modulo the fixture's range is a bijection: SIRENs stay distinct.
 */
export function companySiret(n: number, nic = 1): string {
  return makeSiret((n * 7_919 + 1_000_003) % 89_999_999, nic);
}

function csvCell(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export interface GeneratedCsv {
  rows: number;
  bytes: number;
}

/**
 * Writes `rows` suppliers. About one row in ten is a second establishment of an earlier company
 * (same SIREN, another NIC): every SIRET is distinct, so every row is one supplier.
 */
export async function writeSupplierCsv(filePath: string, rows: number, seed = 20_261_128): Promise<GeneratedCsv> {
  const random = seededRandom(seed);
  const out = createWriteStream(filePath);
  let bytes = 0;
  let batch: string[] = [];
  const flush = async () => {
    const encoded = iconv.encode(batch.join(''), 'win1252');
    batch = [];
    bytes += encoded.length;
    if (!out.write(encoded)) await once(out, 'drain');
  };
  const write = async (line: string) => {
    batch.push(`${line}\r\n`);
    if (batch.length >= 1_000) await flush();
  };
  await write(CSV_HEADER.join(';'));
  let companies = 0;
  const nicsUsed = new Map<number, number>();
  for (let i = 0; i < rows; i += 1) {
    let siret: string;
    if (companies > 100 && random() < 0.1) {
      const company = Math.floor(random() * companies);
      const nic = (nicsUsed.get(company) ?? 1) + 1;
      nicsUsed.set(company, nic);
      siret = companySiret(company, nic);
    } else {
      siret = companySiret(companies, 1);
      companies += 1;
    }
    const town = pick(random, ALL_TOWNS);
    const address = `${1 + Math.floor(random() * 120)} ${pick(random, STREET_TYPES)} ${pick(random, STREET_NAMES)}`;
    const cells = [
      `F${String(i + 1).padStart(6, '0')}`,
      supplierName(random, town.name),
      // a quarter of the exports space the SIRET out as printed on invoices
      random() < 0.25 ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : siret,
      address,
      town.postalCode,
      town.name,
      pick(random, CATEGORIES),
      random() < 0.93 ? 'oui' : 'non',
    ];
    await write(cells.map(csvCell).join(';'));
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { rows, bytes };
}
