// Command-line entry over the same core modules as the app: `npm run cli -- <command>`.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { ImportReport } from '../common/ipc-contract';
import { exportSuppliersCsv } from '../node/csv/csv-export';
import { importSuppliersCsv } from '../node/csv/csv-import';
import { openDatabase } from '../node/db/database';
import { asFileError } from '../node/app/file-errors';
import { UserFacingError } from '../node/user-facing-error';
import { ApiEntrepriseError, TOKEN_REFUSALS, type ApiErrorKind } from '../node/api-entreprise/api-error';
import { isAllowedApiBaseUrl } from '../node/api-entreprise/api-environment';
import { createApiClient } from '../node/api-entreprise/create-api-client';
import { checkTokenShape } from '../node/token/jwt-claims';
import { registerSecret } from '../node/logging/redaction';
import { BACKUP_USAGE, isBackupCommand, runBackupCli } from '../node/safety/backup-cli';
import { ENDPOINT_IDS, type EndpointId } from '../node/api-entreprise/endpoint-catalogue';
import { DEFAULT_LOOKUP_ENDPOINTS, lookupSupplier, type SupplierLookup } from '../node/api-entreprise/supplier-lookup';
import { REFRESH_USAGE, runRefreshCommand } from './refresh-command';

const USAGE = `Utilisation :
  npm run cli -- import FICHIER.csv --db BASE.sqlite3 [--dry-run] [--json]
  npm run cli -- export FICHIER.csv --db BASE.sqlite3 [--json]
  npm run cli -- lookup SIREN|SIRET --api-url URL --recipient SIRET [--context TEXTE] [--object TEXTE]
                        [--endpoints a,b,...] [--documents DOSSIER] [--json]

  import    fusionne un fichier CSV de fournisseurs dans le registre (--dry-run : aperçu sans rien écrire)
  export    écrit le registre en CSV (UTF-8 avec BOM, séparateur point-virgule)
  lookup    interroge API Entreprise pour un SIREN ou un SIRET ; le jeton est lu dans la variable
            d’environnement VIGIE_TOKEN, jamais sur la ligne de commande
  --json    affiche le compte rendu en JSON

${REFRESH_USAGE}

${BACKUP_USAGE}

Codes de sortie : 0 réussite, 1 erreur, 2 commande incomplète,
                  3 (lookup, refresh) une partie des données n’a pas pu être obtenue pour l’instant
                    (refresh : ou a été reportée à la nuit suivante),
                  4 (refresh) mise à jour mise en pause avant la fin : la commande suivante la reprend,
                  5 (refresh) une autre mise à jour est déjà en cours sur ce registre (Vigie, une autre
                    commande ou une tâche planifiée) : rien n’a été lancé`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (isBackupCommand(argv)) return runBackupCli(argv, io);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'api-url': { type: 'string' },
        recipient: { type: 'string' },
        context: { type: 'string' },
        object: { type: 'string' },
        endpoints: { type: 'string' },
        documents: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  if (values.token !== undefined) {
    io.err('Le jeton ne se passe jamais sur la ligne de commande (les autres utilisateurs de la machine peuvent la lire) : utilisez la variable d’environnement VIGIE_TOKEN.');
    return 2;
  }
  if (command === 'lookup') return runLookup(file, values, io);
  if (command === 'refresh') {
    if (file !== undefined) {
      io.err(`La commande refresh ne prend pas d’argument (${file}).\n\n${USAGE}`);
      return 2;
    }
    return runRefreshCommand(values, io);
  }
  if ((command !== 'import' && command !== 'export') || !file || !values.db) {
    io.err(`Commande incomplète ou inconnue.\n\n${USAGE}`);
    return 2;
  }
  const path = resolve(file);
  try {
    const db = openDatabase(resolve(values.db));
    try {
      if (command === 'import') {
        const report = await importSuppliersCsv(db, path, { dryRun: values['dry-run'] });
        io.out(values.json ? JSON.stringify(report, null, 2) : describeImport(report));
        return 0;
      }
      const rows = await exportSuppliersCsv(db, path);
      io.out(values.json ? JSON.stringify({ fileName: path, rows }) : `${rows} fournisseur(s) exporté(s) dans ${path}`);
      return 0;
    } finally {
      db.close();
    }
  } catch (raw) {
    const error = asFileError(raw, path);
    if (error instanceof UserFacingError) {
      io.err(`Erreur : ${error.message}`);
      return 1;
    }
    io.err(`Erreur inattendue : ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

interface LookupArgs {
  'api-url'?: string;
  recipient?: string;
  context?: string;
  object?: string;
  endpoints?: string;
  documents?: string;
  json: boolean;
}

async function runLookup(identifier: string | undefined, values: LookupArgs, io: CliIo): Promise<number> {
  const baseUrl = values['api-url'];
  if (!identifier || !baseUrl || !values.recipient) {
    io.err(`La commande lookup demande un SIREN ou SIRET, --api-url et --recipient.\n\n${USAGE}`);
    return 2;
  }
  if (!isAllowedApiBaseUrl(baseUrl)) {
    io.err('Adresse d’API refusée : seules API Entreprise (production ou staging, en https) et l’API locale de démonstration (127.0.0.1) sont acceptées.');
    return 2;
  }
  const endpoints = values.endpoints ? values.endpoints.split(',').map((e) => e.trim()) : [...DEFAULT_LOOKUP_ENDPOINTS];
  const unknown = endpoints.filter((e) => !(ENDPOINT_IDS as readonly string[]).includes(e));
  if (unknown.length > 0) {
    io.err(`Point d’accès inconnu : ${unknown.join(', ')}. Connus : ${ENDPOINT_IDS.join(', ')}`);
    return 2;
  }
  const token = process.env.VIGIE_TOKEN?.trim() ?? '';
  if (token !== '') {
    // from here on, the token is masked in anything logged
    registerSecret(token);
    // the same check, and the same words, as the token screen of the app
    const shape = checkTokenShape(token, Date.now());
    if (!shape.ok) {
      io.err(`Erreur : ${shape.message}`);
      return 1;
    }
  }
  const { client } = createApiClient({
    baseUrl,
    transport: (url, init) => fetch(url, init),
    tokenProvider: () => (token === '' ? null : token),
    defaults: {
      recipient: values.recipient,
      context: values.context ?? 'Gestion d’un référentiel tiers',
      object: values.object ?? 'Registre des tiers',
    },
    documentsRoot: resolve(values.documents ?? 'vigie-documents'),
  });
  try {
    const result = await lookupSupplier(client, identifier, endpoints as EndpointId[]);
    io.out(values.json ? JSON.stringify(result, null, 2) : describeLookup(result));
    const refusal = result.outcomes.find((o) => o.error && TOKEN_REFUSALS.has(o.error.kind as ApiErrorKind));
    if (refusal) {
      io.err(`Erreur : ${refusal.message}`);
      return 1;
    }
    return result.outcomes.some((o) => o.error?.retryable === true) ? 3 : 0;
  } catch (error) {
    if (error instanceof ApiEntrepriseError) {
      io.err(`Erreur : ${error.userMessage}`);
      return 1;
    }
    throw error;
  }
}

function describeLookup(result: SupplierLookup): string {
  const lines = [`${result.company?.name ?? '(raison sociale inconnue)'} — SIREN ${result.siren}${result.siret ? `, SIRET ${result.siret}` : ''}`];
  if (result.company) {
    const status = result.company.administrativeStatus === 'ceased' ? `cessée${result.company.ceasedOn ? ` le ${result.company.ceasedOn}` : ''}` : result.company.administrativeStatus === 'active' ? 'active' : 'état inconnu';
    lines.push(`  entreprise ${status}, diffusion : ${result.company.diffusion}`);
  }
  if (result.establishment?.address) {
    const a = result.establishment.address;
    lines.push(`  ${[a.street, a.postalCode, a.city].filter(Boolean).join(' ')}`);
  }
  for (const attestation of result.attestations) {
    const validity = attestation.validUntil ? ` valable jusqu’au ${attestation.validUntil}` : '';
    lines.push(`  ${attestation.kind} : ${attestation.status}${validity}`);
  }
  for (const outcome of result.outcomes) {
    if (!outcome.ok) lines.push(`  ${outcome.endpoint} : ${outcome.message}`);
    else if (outcome.document) lines.push(`  ${outcome.endpoint} : document enregistré (${outcome.document.storedPath})`);
  }
  return lines.join('\n');
}

function describeImport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Aperçu (rien n’a été écrit)' : 'Import terminé'} : ${report.fileName}`,
    `  encodage ${report.encoding}, séparateur « ${report.delimiter === '\t' ? 'tabulation' : report.delimiter} », ${report.totalRows} ligne(s) lue(s)`,
    `  créés : ${report.inserted}, mis à jour : ${report.updated}, inchangés : ${report.unchanged}, rejetés : ${report.rejected.length}`,
  ];
  for (const row of report.rejected) lines.push(`  ligne ${row.line} rejetée (${row.value}) : ${row.reason}`);
  for (const row of report.warnings) lines.push(`  ligne ${row.line} : ${row.reason}`);
  return lines.join('\n');
}

const isEntryPoint = process.argv[1] !== undefined && /vigie-cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (isEntryPoint) {
  runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Erreur inattendue : ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
