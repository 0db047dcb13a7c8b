import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointPath } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { parseCliArgs } from '../../src-main/node/fake-api/fake-api-cli-args';
import { verifyDevToken } from '../../src-main/node/fake-api/dev-token';
import { SyntheticCompanies } from '../../src-main/node/fake-api/synthetic-companies';

const ROOT = resolve(__dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const CLI = 'src-main/node/fake-api/fake-api-cli.ts';
const LISTENING = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;

let server: ChildProcess | null = null;

afterAll(async () => {
  const child = server;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
});

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no listening line in: ${output}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)}: ${output}`));
    });
  });
}

describe('fake API command line', () => {
  it('prints the listening line with the real port, serves, and mints a token it accepts', async () => {
    server = spawn(TSX, [CLI, '--port', '0', '--seed', 'cli', '--companies', '200'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const [url, minted] = await Promise.all([
      waitForListening(server),
      promisify(execFile)(TSX, [CLI, 'mint-token', '--scopes', 'open_data'], { cwd: ROOT }),
    ]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url.endsWith(':0')).toBe(false);
    const token = minted.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const claims = verifyDevToken(token);
    expect(claims.ok && claims.claims.scopes).toEqual(['open_data']);

    const privileges = await fetch(`${url}/privileges`, { headers: { Authorization: `Bearer ${token}` } });
    expect(privileges.status).toBe(200);
    expect(await privileges.json()).toEqual({ data: { privileges: ['open_data'] }, links: {}, meta: {} });

    // the control routes force faults in a server running in another process
    const siren = new SyntheticCompanies({ seed: 'cli', count: 200 }).at(0).siren;
    const forced = await fetch(`${url}/__fake/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fault: 'unavailable', count: 1, identifier: siren }),
    });
    expect(forced.status).toBe(200);
    const path = `${url}${endpointPath('insee.unite_legale_diffusible', siren)}?recipient=13002526500013&context=D%C3%A9mo&object=Panne`;
    const statuses: number[] = [];
    for (let i = 0; i < 2; i += 1) statuses.push((await fetch(path, { headers: { Authorization: `Bearer ${token}` } })).status);
    expect(statuses).toEqual([503, 200]);
    expect((await fetch(`${url}/__fake/faults`, { method: 'POST', body: '{"fault":"meteor"}' })).status).toBe(400);
    const stats = (await (await fetch(`${url}/__fake/stats`)).json()) as { apiCalls: number; faults: { unavailable: number } };
    expect(stats.apiCalls).toBe(3);
    expect(stats.faults.unavailable).toBe(1);
  });

  it('parses the server options', () => {
    const parsed = parseCliArgs([
      '--port',
      '8787',
      '--seed',
      'démo',
      '--latency',
      '80:900',
      '--fault-rate',
      '0.05',
      '--fault-kinds',
      'provider_error,html_200',
      '--window-ms',
      '1000',
      '--no-retry-after',
    ]);
    expect(parsed).toEqual({
      command: 'serve',
      options: {
        port: 8787,
        seed: 'démo',
        latency: { kind: 'lognormal', medianMs: 80, p99Ms: 900 },
        faultRate: 0.05,
        faultWeights: { provider_error: 1, html_200: 1 },
        windowMs: 1000,
        retryAfter: false,
      },
    });
    expect(parseCliArgs(['--latency', '120'])).toMatchObject({ options: { latency: { kind: 'fixed', ms: 120 } } });
    expect(parseCliArgs([])).toEqual({ command: 'serve', options: { port: 0 } });
    expect(() => parseCliArgs(['--fault-kinds', 'meteor'])).toThrow(/unknown fault kind/);
    expect(() => parseCliArgs(['--fault-rate', '2'])).toThrow();
    expect(() => parseCliArgs(['--latency', 'vite'])).toThrow();
    expect(() => parseCliArgs(['--port', '-1'])).toThrow();
  });

  it('mints expired tokens on request, for tests of the token policy', () => {
    const parsed = parseCliArgs(['mint-token', '--expired', '--jti', 'essai']);
    expect(parsed.command).toBe('mint-token');
    if (parsed.command !== 'mint-token') return;
    expect(parsed.mint.jti).toBe('essai');
    expect((parsed.mint.expiresAt ?? 0) * 1000).toBeLessThan(Date.now());
  });
});
