// Test support: API Entreprise's staging test cases (`../shared/api-entreprise/payloads/`), read
// in place (never copied into the project).
//
//   stagingIndex()           the README's table: endpoint path template → payload folder
//   stagingFolders()         every `api_entreprise_*` folder on disk
//   readStagingCases(folder) each YAML file of a folder: params, HTTP status, parsed JSON body
//   templateKey(template)    `/v4/djepva/.../{siren_or_rna}` → `/v4/djepva/.../{}`, to compare
//                            templates whose parameter names differ (the catalogue says `{siren}`)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { sharedApiEntreprisePath } from './openapi-contract';

export interface StagingIndexEntry {
  title: string;
  folder: string;
  template: string;
}

export interface StagingCase {
  folder: string;
  file: string;
  /** The file name without its extension: `attestation_delivree`, `200`, `personne_morale`... */
  name: string;
  description: string | null;
  /** What triggers the case: `{ siren }`, `{ siret }`, `{ siren_or_rna }`... */
  params: Record<string, string>;
  status: number;
  /** The JSON payload the staging server answers, parsed. */
  body: unknown;
}

/** Template with its parameter names erased. */
export function templateKey(template: string): string {
  return template.replace(/\{[^{}]+\}/g, '{}');
}

const INDEX_LINE = /^\*\s+\[([^\]]+)\]\((api_entreprise_[A-Za-z0-9_]+)\)\s+\(`([^`]+)`\)/;

let cachedIndex: StagingIndexEntry[] | null = null;

/** The "API Entreprise" entries of `payloads/README.md` that link a path to a folder. */
export function stagingIndex(): StagingIndexEntry[] {
  if (cachedIndex === null) {
    const readme = readFileSync(sharedApiEntreprisePath('payloads', 'README.md'), 'utf8');
    cachedIndex = readme
      .split('\n')
      .map((line) => INDEX_LINE.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ title: m[1] as string, folder: m[2] as string, template: m[3] as string }));
    if (cachedIndex.length === 0) throw new Error('payloads/README.md lists no API Entreprise payload folder: has its format changed?');
  }
  return cachedIndex;
}

/** The folder of a path template (parameter names ignored), or null when the README has none. */
export function folderForTemplate(template: string): string | null {
  const key = templateKey(template);
  return stagingIndex().find((entry) => templateKey(entry.template) === key)?.folder ?? null;
}

/** Every API Entreprise payload folder present on disk. */
export function stagingFolders(): string[] {
  const root = sharedApiEntreprisePath('payloads');
  return readdirSync(root)
    .filter((name) => name.startsWith('api_entreprise_') && statSync(path.join(root, name)).isDirectory())
    .sort();
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not a mapping`);
  return value as Record<string, unknown>;
}

/** Every test case (`*.yaml`, `*.yml`) of a folder, sorted by file name. */
export function readStagingCases(folder: string): StagingCase[] {
  const dir = sharedApiEntreprisePath('payloads', folder);
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const where = `payloads/${folder}/${file}`;
      const doc = asRecord(YAML.parse(readFileSync(path.join(dir, file), 'utf8')), where);
      const status = Number(doc['status']);
      if (!Number.isInteger(status)) throw new Error(`${where}: no integer "status"`);
      if (typeof doc['payload'] !== 'string') throw new Error(`${where}: "payload" is not a JSON string`);
      let body: unknown;
      try {
        body = JSON.parse(doc['payload']);
      } catch (error) {
        throw new Error(`${where}: "payload" is not valid JSON (${(error as Error).message})`);
      }
      const params = Object.fromEntries(Object.entries(asRecord(doc['params'] ?? {}, `${where} params`)).map(([k, v]) => [k, String(v)]));
      return {
        folder,
        file,
        name: file.replace(/\.ya?ml$/, ''),
        description: typeof doc['description'] === 'string' ? doc['description'] : null,
        params,
        status,
        body,
      };
    });
}
