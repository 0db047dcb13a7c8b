// Test support: the official API Entreprise contract (`../shared/api-entreprise/openapi.yaml`,
// OpenAPI 3.0.1) as queries and validators, for the conformance tests of the client (requests),
// the fake API (answers) and the normalisers (staging payloads).
//
// The YAML (about 2 MB) is parsed once per test file, on first use. Response schemas are resolved
// (`$ref`), converted from OpenAPI 3.0 to JSON Schema (`nullable` → `type: [..., "null"]`) and
// compiled with ajv (all errors, formats checked, strict mode off) on demand, once each.
//
//   import { findOperation, requiredQueryParameters, validateResponseBody } from '../conformance/openapi-contract';
//
//   const match = findOperation('GET', '/v4/urssaf/unites_legales/418166096/attestation_vigilance');
//   // → { method: 'get', template: '/v4/urssaf/unites_legales/{siren}/attestation_vigilance',
//   //     pathParams: { siren: '418166096' }, operation: { ...the OpenAPI operation object } }
//   requiredQueryParameters(match.template);          // ['recipient', 'context', 'object']
//   securityRequired(match.template);                 // true: Authorization: Bearer <JWT>
//   validateResponseBody(match.template, 200, body);  // { valid: boolean, errors: string[] }
//
// Every function taking a `template` expects one of `pathTemplates()` exactly (as written in the
// contract, e.g. `{siren_or_rna}`), and throws on an unknown template or method: a typo must fail
// the test, not pass it vacuously.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openapiSchemaToJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

// ---------------------------------------------------------------------------------------------
// Where the shared material is
// ---------------------------------------------------------------------------------------------

/** `../shared/api-entreprise`, resolved from the project root (the directory tests run from). */
export const SHARED_API_ENTREPRISE_DIR = path.resolve(process.cwd(), '..', 'shared', 'api-entreprise');

/**
 * A path inside the shared API Entreprise folder; throws a clear error when it is missing (the
 * conformance tests must fail, never be skipped, when the contract is not there).
 */
export function sharedApiEntreprisePath(...segments: string[]): string {
  const target = path.join(SHARED_API_ENTREPRISE_DIR, ...segments);
  if (!existsSync(target)) {
    throw new Error(
      `API Entreprise reference material not found: ${target}\n` +
        `The conformance tests read the official contract and staging payloads from ` +
        `${SHARED_API_ENTREPRISE_DIR} (resolved from the project root, ${process.cwd()}). ` +
        `Run the tests from the project root, with the shared folder next to it.`,
    );
  }
  return target;
}

export const OPENAPI_FILE = 'openapi.yaml';

// ---------------------------------------------------------------------------------------------
// Types (the parts of OpenAPI 3.0 this module reads)
// ---------------------------------------------------------------------------------------------

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export type JsonObject = Record<string, unknown>;

export interface OpenApiExample {
  summary?: string;
  description?: string;
  value?: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonObject;
  example?: unknown;
  examples?: Record<string, OpenApiExample>;
}

export interface OpenApiMediaType {
  schema?: JsonObject;
  example?: unknown;
  examples?: Record<string, OpenApiExample>;
}

export interface OpenApiResponse {
  description?: string;
  headers?: Record<string, JsonObject>;
  content?: Record<string, OpenApiMediaType>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OpenApiOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: OpenApiParameter[];
  security?: SecurityRequirement[];
  responses: Record<string, OpenApiResponse>;
  [extension: string]: unknown;
}

export interface OperationMatch {
  method: HttpMethod;
  /** The contract's path template, e.g. `/v4/insee/sirene/unites_legales/{siren}`. */
  template: string;
  /** Values of the template's `{param}` segments in the concrete path, URL-decoded. */
  pathParams: Record<string, string>;
  operation: OpenApiOperation;
}

export interface SecuritySchemeInfo {
  name: string;
  type: string;
  /** `bearer` for `type: http`. */
  scheme: string | null;
  bearerFormat: string | null;
  /** Where the credential goes: `Authorization` for http schemes, else the apiKey's `name`. */
  headerName: string | null;
  in: 'header' | 'query' | 'cookie' | null;
}

export interface ResponseValidation {
  valid: boolean;
  /** ajv's errors as `"<instance path> <message> <params>"`, e.g. `/data/siren must be string`. */
  errors: string[];
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: JsonObject;
  security?: SecurityRequirement[];
}

let cachedDocument: OpenApiDocument | null = null;

/** The parsed contract (parsed on first call, then cached for the test file). */
export function openApiDocument(): OpenApiDocument {
  if (cachedDocument === null) {
    const file = sharedApiEntreprisePath(OPENAPI_FILE);
    const parsed: unknown = YAML.parse(readFileSync(file, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || !('paths' in parsed) || typeof parsed.paths !== 'object') {
      throw new Error(`${file} is not an OpenAPI document (no "paths")`);
    }
    cachedDocument = parsed as OpenApiDocument;
  }
  return cachedDocument;
}

/** Every path template of the contract, in the contract's order. */
export function pathTemplates(): string[] {
  return Object.keys(openApiDocument().paths);
}

function toMethod(method: string): HttpMethod {
  const m = method.toLowerCase();
  if (!(HTTP_METHODS as readonly string[]).includes(m)) throw new Error(`not an HTTP method: ${method}`);
  return m as HttpMethod;
}

function pathItem(template: string): Record<string, unknown> {
  const item = openApiDocument().paths[template];
  if (!item) throw new Error(`path template not in the contract: ${template}`);
  return item;
}

/** The operation for a template (exactly as written in the contract); throws when unknown. */
export function getOperation(template: string, method: string = 'get'): OpenApiOperation {
  const operation = pathItem(template)[toMethod(method)];
  if (!operation || typeof operation !== 'object') throw new Error(`no ${method.toUpperCase()} operation for ${template}`);
  return operation as OpenApiOperation;
}

// ---------------------------------------------------------------------------------------------
// Matching concrete paths
// ---------------------------------------------------------------------------------------------

const PARAM_SEGMENT = /^\{([^{}]+)\}$/;

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `/a/b/c` → `['a', 'b', 'c']`; an empty segment (`//`, trailing `/`) is kept, and matches nothing. */
function segments(p: string): string[] {
  return p.replace(/^\//, '').split('/');
}

/**
 * The operation a concrete request path belongs to, or null when the contract has none. Query
 * strings and fragments are ignored; each `{param}` matches exactly one non-empty segment, and an
 * empty segment (double or trailing slash) matches nothing; when
 * several templates match, the one with the most literal segments (then leftmost) wins.
 */
export function findOperation(method: string, concretePath: string): OperationMatch | null {
  const m = toMethod(method);
  const pathOnly = (concretePath.split(/[?#]/)[0] ?? '').trim();
  const concrete = segments(pathOnly);
  let best: { match: OperationMatch; literals: number; shape: string } | null = null;
  for (const template of pathTemplates()) {
    const operation = pathItem(template)[m];
    if (!operation || typeof operation !== 'object') continue;
    const parts = segments(template);
    if (parts.length !== concrete.length) continue;
    const pathParams: Record<string, string> = {};
    // "1" for a literal segment, "0" for a parameter: more literals win, then literals on the left
    let shape = '';
    let matches = true;
    for (let i = 0; i < parts.length && matches; i += 1) {
      const part = parts[i] as string;
      const value = concrete[i] as string;
      const param = PARAM_SEGMENT.exec(part);
      if (param) {
        const decoded = value === '' ? null : safeDecode(value);
        if (decoded === null) matches = false;
        else pathParams[param[1] as string] = decoded;
        shape += '0';
      } else {
        matches = part === value;
        shape += '1';
      }
    }
    if (!matches) continue;
    const literals = shape.split('').filter((c) => c === '1').length;
    if (best === null || literals > best.literals || (literals === best.literals && shape > best.shape)) {
      best = { match: { method: m, template, pathParams, operation: operation as OpenApiOperation }, literals, shape };
    }
  }
  return best?.match ?? null;
}

// ---------------------------------------------------------------------------------------------
// Parameters and security
// ---------------------------------------------------------------------------------------------

/** Path-level and operation-level parameters (the operation's win on the same name and location), `$ref`s resolved. */
export function parameters(template: string, method: string = 'get'): OpenApiParameter[] {
  const item = pathItem(template);
  const fromPath = Array.isArray(item['parameters']) ? (item['parameters'] as unknown[]) : [];
  const fromOperation = getOperation(template, method).parameters ?? [];
  const byKey = new Map<string, OpenApiParameter>();
  for (const raw of [...fromPath, ...fromOperation]) {
    const parameter = resolveRefs(raw) as OpenApiParameter;
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

function requiredIn(template: string, method: string, location: OpenApiParameter['in']): string[] {
  return parameters(template, method)
    .filter((p) => p.in === location && (p.required === true || location === 'path'))
    .map((p) => p.name);
}

/** Names of the `{param}` segments of a template, in order. */
export function pathParameterNames(template: string): string[] {
  pathItem(template);
  return segments(template)
    .map((s) => PARAM_SEGMENT.exec(s)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** Query parameters the contract marks required (API Entreprise: `recipient`, `context`, `object`). */
export function requiredQueryParameters(template: string, method: string = 'get'): string[] {
  return requiredIn(template, method, 'query');
}

/**
 * Header parameters the contract marks required. The credential is not one of them: it comes from
 * the security scheme, see `securityRequired` and `securitySchemes`.
 */
export function requiredHeaderParameters(template: string, method: string = 'get'): string[] {
  return requiredIn(template, method, 'header');
}

function effectiveSecurity(template: string, method: string): SecurityRequirement[] {
  const operation = getOperation(template, method);
  return operation.security ?? openApiDocument().security ?? [];
}

/** Whether the operation needs credentials: at least one security requirement, none of them empty (`{}` means optional). */
export function securityRequired(template: string, method: string = 'get'): boolean {
  const requirements = effectiveSecurity(template, method);
  return requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0);
}

/** The security schemes the operation accepts (API Entreprise: `Authorization: Bearer <JWT>`). */
export function securitySchemes(template: string, method: string = 'get'): SecuritySchemeInfo[] {
  const declared = (openApiDocument().components?.['securitySchemes'] ?? {}) as Record<string, JsonObject>;
  const names = [...new Set(effectiveSecurity(template, method).flatMap((r) => Object.keys(r)))];
  return names.map((name) => {
    const scheme = declared[name];
    if (!scheme) throw new Error(`security scheme ${name} used by ${template} is not declared in components.securitySchemes`);
    const type = String(scheme['type']);
    const isHttp = type === 'http';
    const location = isHttp ? 'header' : (scheme['in'] as SecuritySchemeInfo['in']) ?? null;
    return {
      name,
      type,
      scheme: typeof scheme['scheme'] === 'string' ? scheme['scheme'].toLowerCase() : null,
      bearerFormat: typeof scheme['bearerFormat'] === 'string' ? scheme['bearerFormat'] : null,
      headerName: isHttp ? 'Authorization' : location === 'header' ? String(scheme['name']) : null,
      in: location,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

const JSON_MEDIA_TYPE = 'application/json';

/** The response statuses the operation declares (`'200'`, `'404'`, ...). */
export function responseStatuses(template: string, method: string = 'get'): string[] {
  return Object.keys(getOperation(template, method).responses);
}

/** The declared response for a status: exact code, else `4XX`-style range, else `default`. */
export function response(template: string, status: number | string, method: string = 'get'): OpenApiResponse | null {
  const responses = getOperation(template, method).responses;
  const code = String(status);
  const raw = responses[code] ?? responses[`${code[0]}XX`] ?? responses[`${code[0]}xx`] ?? responses['default'];
  return raw ? (resolveRefs(raw) as OpenApiResponse) : null;
}

/** Names of the headers declared for a response (e.g. `RateLimit-Limit`, `X-Response-Cached`). */
export function responseHeaderNames(template: string, status: number | string, method: string = 'get'): string[] {
  return Object.keys(response(template, status, method)?.headers ?? {});
}

/** The examples of an application/json response (API Entreprise documents each error code this way). */
export function responseExamples(template: string, status: number | string, method: string = 'get'): { name: string; value: unknown }[] {
  const media = response(template, status, method)?.content?.[JSON_MEDIA_TYPE];
  if (!media) return [];
  const named = Object.entries(media.examples ?? {}).map(([name, example]) => ({ name, value: example.value }));
  return media.example !== undefined ? [{ name: 'example', value: media.example }, ...named] : named;
}

/** The OpenAPI (3.0, `$ref`-resolved) schema of an application/json response, or null when none is declared. */
export function openApiResponseSchema(template: string, status: number | string, method: string = 'get'): JsonObject | null {
  const schema = response(template, status, method)?.content?.[JSON_MEDIA_TYPE]?.schema;
  return schema ? (resolveRefs(schema) as JsonObject) : null;
}

export function hasResponseSchema(template: string, status: number | string, method: string = 'get'): boolean {
  return openApiResponseSchema(template, status, method) !== null;
}

/**
 * Known mistakes of the contract, repaired before conversion so that the rest can stay strict (the
 * converter rejects any other invalid type): `type: date` (DGFIP v4 attestation fiscale, INSEE
 * successions) means a string in `date` format, as the staging payloads show.
 */
export const REPAIRED_QUIRKS = ['`type: date` / `type: date-time` read as `type: string` with that format'] as const;

function repairQuirks(schema: object): JsonObject {
  const node = schema as JsonObject;
  if (node['type'] === 'date' || node['type'] === 'date-time') return { ...node, type: 'string', format: node['type'] };
  return node;
}

/** The same schema converted to JSON Schema (as compiled by ajv). */
export function jsonResponseSchema(template: string, status: number | string, method: string = 'get'): JsonObject | null {
  const schema = openApiResponseSchema(template, status, method);
  if (schema === null) return null;
  const converted = openapiSchemaToJsonSchema(schema, { cloneSchema: true, beforeTransform: repairQuirks }) as JsonObject;
  // the converter labels its output draft-04; ajv 8 speaks draft-07, and the keywords used here
  // (no boolean exclusiveMinimum) mean the same in both
  delete converted['$schema'];
  return converted;
}

let ajvInstance: Ajv | null = null;

/** Formats the contract uses that are not JSON Schema formats: accepted without checking. */
export const UNCHECKED_FORMATS = ['boolean', 'double', 'float', 'int32', 'int64', 'byte', 'binary', 'password'] as const;

function ajv(): Ajv {
  if (ajvInstance === null) {
    ajvInstance = new Ajv({ allErrors: true, strict: false, logger: false });
    addFormats(ajvInstance);
    for (const format of UNCHECKED_FORMATS) ajvInstance.addFormat(format, true);
  }
  return ajvInstance;
}

const validators = new Map<string, ValidateFunction>();

function responseValidator(template: string, status: number | string, method: string): ValidateFunction {
  const m = toMethod(method);
  const key = `${m} ${template} ${String(status)}`;
  let validate = validators.get(key);
  if (!validate) {
    const schema = jsonResponseSchema(template, status, m);
    if (schema === null) {
      throw new Error(
        `the contract declares no ${JSON_MEDIA_TYPE} schema for ${m.toUpperCase()} ${template} ${String(status)}` +
          ` (declared statuses: ${responseStatuses(template, m).join(', ')}); check hasResponseSchema() first`,
      );
    }
    validate = ajv().compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

function formatError(error: ErrorObject): string {
  const params = Object.entries(error.params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  return `${error.instancePath || '/'} ${error.message ?? error.keyword}${params ? ` (${params})` : ''}`;
}

/**
 * Validates a response body (parsed JSON) against the application/json schema the contract
 * declares for that status. Throws when the contract declares none (e.g. `GET /privileges` 200):
 * use `hasResponseSchema` to check first.
 */
export function validateResponseBody(template: string, status: number | string, body: unknown, method: string = 'get'): ResponseValidation {
  const validate = responseValidator(template, status, method);
  const valid = validate(body) === true;
  return { valid, errors: valid ? [] : (validate.errors ?? []).map(formatError) };
}

// ---------------------------------------------------------------------------------------------
// $ref resolution
// ---------------------------------------------------------------------------------------------

function pointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = openApiDocument();
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`unresolvable $ref: ${ref}`);
    node = (node as JsonObject)[key];
  }
  return node;
}

/** A deep copy of `node` with every local `$ref` replaced by its target; throws on cycles. */
export function resolveRefs(node: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => resolveRefs(item, seen));
  if (node === null || typeof node !== 'object') return node;
  const object = node as JsonObject;
  const ref = object['$ref'];
  if (typeof ref === 'string') {
    if (seen.includes(ref)) throw new Error(`cyclic $ref: ${[...seen, ref].join(' -> ')}`);
    return resolveRefs(pointer(ref), [...seen, ref]);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) out[key] = resolveRefs(value, seen);
  return out;
}
