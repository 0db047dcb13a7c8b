// Command-line arguments of the fake API, parsed into FakeApiOptions (kept apart from the entry
// point so they can be tested without starting anything).
import { parseArgs } from 'node:util';
import { CATALOGUE_SCOPES, DEV_TOKEN_LIFETIME_SECONDS, type MintOptions } from './dev-token';
import type { FakeApiOptions } from './fake-api-options';
import { FAULT_KINDS, type FaultKind } from './fault-injection';
import { parseLatency } from './latency';

export const USAGE = `Fausse API Entreprise (développement, démonstrations, tests, mesures)

  npm run fake-api -- [--port P] [--seed S] [--companies N] [--window-ms MS]
                      [--latency none|MS|MEDIAN:P99] [--document-latency ...]
                      [--fault-rate 0..1] [--fault-kinds kind,kind] [--slow-ms MS]
                      [--gateway-timeout-ms MS] [--huge-body-bytes N] [--retry-in S]
                      [--no-retry-after] [--ip-ban N] [--blacklist jti,jti] [--log]
      starts the server on 127.0.0.1 (port 0: any free port) and prints
      "listening on http://127.0.0.1:<port>" once it accepts requests.

  npm run fake-api -- mint-token [--scopes all|scope,scope] [--expires-in-days D]
                      [--expired] [--jti J] [--sub TEXT]
      prints a development token (for VIGIE_TOKEN) accepted by this fake API only.

  npm run fake-api -- sample [--seed S] [--companies N]
      prints example SIRENs of each kind of company (active, ceased, refused by URSSAF...).

Fault kinds: ${FAULT_KINDS.join(', ')}.
While it runs: GET /__fake/stats (counters), POST /__fake/faults {"fault", "count"?, "identifier"?,
"endpoint"?, "pool"?, "requestKind"?, "persistent"?} to force faults, DELETE /__fake/faults to clear them.
The signing secret is VIGIE_FAKE_API_SECRET when set, else a fixed development secret.`;

export type CliCommand =
  | { command: 'serve'; options: FakeApiOptions }
  | { command: 'mint-token'; mint: Omit<MintOptions, 'secret'> }
  | { command: 'sample'; seed: string | undefined; companyCount: number | undefined }
  | { command: 'help' };

function integer(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be an integer >= ${min}, not "${value}"`);
  return parsed;
}

function faultKinds(value: string | undefined): Partial<Record<FaultKind, number>> | undefined {
  if (value === undefined) return undefined;
  const weights: Partial<Record<FaultKind, number>> = {};
  for (const name of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(FAULT_KINDS as readonly string[]).includes(name)) throw new Error(`unknown fault kind "${name}"`);
    weights[name as FaultKind] = 1;
  }
  return weights;
}

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === 'help' || first === '--help' || first === '-h') return { command: 'help' };
  if (first === 'mint-token') return parseMint(rest);
  if (first === 'sample') {
    const { values } = parseArgs({ args: rest, options: { seed: { type: 'string' }, companies: { type: 'string' } }, strict: true });
    return { command: 'sample', seed: values.seed, companyCount: integer('companies', values.companies, 1) };
  }
  const args = first === 'serve' ? rest : [...argv];
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      companies: { type: 'string' },
      'window-ms': { type: 'string' },
      latency: { type: 'string' },
      'document-latency': { type: 'string' },
      'fault-rate': { type: 'string' },
      'fault-kinds': { type: 'string' },
      'slow-ms': { type: 'string' },
      'gateway-timeout-ms': { type: 'string' },
      'huge-body-bytes': { type: 'string' },
      'retry-in': { type: 'string' },
      'no-retry-after': { type: 'boolean' },
      'ip-ban': { type: 'string' },
      blacklist: { type: 'string' },
      log: { type: 'boolean' },
    },
  });
  const faultRate = values['fault-rate'] === undefined ? undefined : Number(values['fault-rate']);
  if (faultRate !== undefined && !(faultRate >= 0 && faultRate <= 1)) throw new Error('--fault-rate must be between 0 and 1');
  const port = integer('port', values.port);
  if (port !== undefined && port > 65_535) throw new Error('--port must be at most 65535');
  const ipBan = integer('ip-ban', values['ip-ban'], 1);
  const options: FakeApiOptions = {
    port: port ?? 0,
    seed: values.seed,
    companyCount: integer('companies', values.companies, 1),
    windowMs: integer('window-ms', values['window-ms'], 1),
    latency: values.latency === undefined ? undefined : parseLatency(values.latency),
    documentLatency: values['document-latency'] === undefined ? undefined : parseLatency(values['document-latency']),
    faultRate,
    faultWeights: faultKinds(values['fault-kinds']),
    slowMs: integer('slow-ms', values['slow-ms']),
    gatewayTimeoutDelayMs: integer('gateway-timeout-ms', values['gateway-timeout-ms']),
    hugeBodyBytes: integer('huge-body-bytes', values['huge-body-bytes'], 1),
    providerRetryInSeconds: integer('retry-in', values['retry-in']),
    retryAfter: values['no-retry-after'] === true ? false : undefined,
    ipBan: ipBan === undefined ? undefined : { afterIgnored429: ipBan, durationMs: 12 * 3600 * 1000 },
    blacklistedJtis: values.blacklist?.split(',').map((s) => s.trim()).filter(Boolean),
  };
  // leave unset options out, so the server's defaults apply
  for (const key of Object.keys(options) as (keyof FakeApiOptions)[]) if (options[key] === undefined) delete options[key];
  if (values.log === true) options.log = (line) => process.stderr.write(`${line}\n`);
  return { command: 'serve', options };
}

function parseMint(args: readonly string[]): CliCommand {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      scopes: { type: 'string' },
      'expires-in-days': { type: 'string' },
      expired: { type: 'boolean' },
      jti: { type: 'string' },
      sub: { type: 'string' },
    },
  });
  const now = Date.now();
  const iat = Math.floor(now / 1000);
  const days = integer('expires-in-days', values['expires-in-days'], 1);
  const scopes =
    values.scopes === undefined || values.scopes === 'all'
      ? [...CATALOGUE_SCOPES]
      : values.scopes.split(',').map((s) => s.trim()).filter(Boolean);
  const mint: Omit<MintOptions, 'secret'> = {
    scopes,
    issuedAt: values.expired === true ? iat - DEV_TOKEN_LIFETIME_SECONDS - 3600 : iat,
    expiresAt: values.expired === true ? iat - 3600 : iat + (days === undefined ? DEV_TOKEN_LIFETIME_SECONDS : days * 86_400),
  };
  if (values.jti !== undefined) mint.jti = values.jti;
  if (values.sub !== undefined) mint.sub = values.sub;
  return { command: 'mint-token', mint };
}
