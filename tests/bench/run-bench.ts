// `npm run bench [-- --json FILE]`: the performance goals of the project, measured as ratios in one
// run (issue #8, BENCHMARKS.md). Three parts: refresh capacity against the rate limits (fake API,
// compressed time), the night plan (simulated clock), the register at 100,000 suppliers. Prints a
// table per part and writes the figures as JSON. Missed goals are reported, not fatal: the exit code
// is non-zero only when a part crashes.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { progress } from './bench-stats';
import { fixed, formatTable, integer, mark, millis, percent, seconds } from './bench-table';
import { DEFAULT_NIGHT_SETTINGS, runNightPlan, type NightResult } from './night-plan';
import { DEFAULT_REFRESH_SETTINGS, runRefreshCapacity, type PoolFigures, type RefreshResult } from './refresh-capacity';
import { DEFAULT_REGISTER_SETTINGS, runRegisterScale, type RegisterResult } from './register-scale';
import { runNightSimulation, type NightRunResult } from './night-run-simulation';

type Part = 'refresh' | 'night' | 'register' | 'simulation';
const PARTS: readonly Part[] = ['refresh', 'night', 'register', 'simulation'];

const GOALS = {
  utilization: 0.95,
  count429: 0,
  nightSuppliers: 10_000,
  searchP95Ms: 20,
  totalMs: 5 * 60_000,
};

interface BenchArgs {
  jsonPath: string;
  parts: Part[];
  rows: number;
}

const USAGE = `usage: npm run bench [-- --json FILE] [--only refresh,night,register,simulation] [--rows N]
  --json FILE   where to write the figures (default: bench-results.json in the current folder)
  --only LIST   run only these parts (for working on one of them; a full run is what BENCHMARKS.md reports)
  --rows N      register size for part 3 (default 100000)`;

function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { jsonPath: resolve('bench-results.json'), parts: [...PARTS], rows: DEFAULT_REGISTER_SETTINGS.rows };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--json' && value) {
      args.jsonPath = resolve(value);
      i += 1;
    } else if (arg === '--only' && value) {
      const parts = value.split(',').map((p) => p.trim());
      const unknown = parts.filter((p) => !PARTS.includes(p as Part));
      if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}\n${USAGE}`);
      args.parts = parts as Part[];
      i += 1;
    } else if (arg === '--rows' && value && /^\d+$/.test(value) && Number(value) >= 1_000) {
      args.rows = Number(value);
      i += 1;
    } else {
      throw new Error(`unexpected argument ${arg ?? ''}\n${USAGE}`);
    }
  }
  return args;
}

interface Goal {
  id: string;
  label: string;
  target: string;
  value: number | null;
  met: boolean | null;
}

function refreshRows(client: string, pools: readonly PoolFigures[]): string[][] {
  return pools.map((p) => [
    client,
    p.name,
    String(p.limit),
    p.wallProjected ? `${p.jobsDone} of ${p.jobs}` : String(p.jobs),
    fixed(p.utilization),
    mark(p.utilization === null ? null : p.utilization >= GOALS.utilization),
    String(p.count429),
    mark(p.count429 === GOALS.count429),
    String(p.retries),
    p.wallProjected ? (p.wallMs === null ? '—' : `~${seconds(p.wallMs, 0)}`) : seconds(p.wallMs),
    seconds(p.lowerBoundMs),
    fixed(p.wallOverLowerBound),
  ]);
}

function printRefresh(r: RefreshResult): void {
  const s = r.settings;
  console.log(
    `\n1. Refresh capacity: fake API, ${s.windowMs / 1000} s windows (60 s / ${s.compression}), per-window limits of BRIEF §3, ` +
      `latency log-normal median ${s.latencyMedianMs} ms / p99 ${s.latencyP99Ms} ms, ${s.gatewayTimeoutRate * 100}% 504`,
  );
  console.log(
    formatTable(
      [
        { header: 'client' },
        { header: 'pool' },
        { header: 'limit', align: 'right' },
        { header: 'jobs', align: 'right' },
        { header: 'utilization', align: 'right' },
        { header: '≥0.95' },
        { header: '429', align: 'right' },
        { header: '=0' },
        { header: 'retries', align: 'right' },
        { header: 'wall', align: 'right' },
        { header: 'lower bound', align: 'right' },
        { header: 'wall/bound', align: 'right' },
      ],
      [...refreshRows('Vigie', r.pools), ...refreshRows('naive', r.naive.pools)],
    ),
  );
  const jobs = r.pools.reduce((n, p) => n + p.jobs, 0);
  console.log(
    `Vigie: ${jobs} jobs, all pools at once, in ${seconds(r.wallMs)} (lower bound ${seconds(r.lowerBoundMs)}); ${r.count429} × 429, ` +
      `${r.ipCeilingHits} per-IP ceiling hits; at most ${s.maxConcurrencyPerPool} in flight per pool (${s.concurrencyRationale}); documents ${s.documents}.`,
  );
  console.log(`naive: ${r.naive.description}; ${r.naive.count429} × 429 in ${seconds(r.naive.wallMs)}; its wall is projected from its pace (~).`);
  console.log(`Vigie, requests accepted per server window (full windows counted in the utilization): ${r.pools.map((p) => `${p.name} ${p.acceptedPerWindow.join(' ')}`).join('; ')}`);
  const failures = r.pools.filter((p) => p.failed > 0).map((p) => `${p.name}: ${p.failed} (${Object.entries(p.failureKinds).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  if (failures.length > 0) console.log(`Vigie jobs that failed after their retries: ${failures.join('; ')}`);
}

function printNight(n: NightResult): void {
  console.log(
    `\n2. Night plan: ${n.settings.nightHours}-hour nights, default freshness policy, real limits, planner's headroom ${n.settings.headroom}, ` +
      `simulated clock from ${new Date(n.settings.firstNightStart).toISOString().slice(0, 10)} (cold start, shortest month), ${n.settings.nights} nights`,
  );
  console.log(
    formatTable(
      [{ header: 'figure' }, { header: 'value', align: 'right' }, { header: 'goal' }],
      [
        ['largest register with no SLA miss (simulated)', integer(n.maxSuppliers), `≥ ${integer(GOALS.nightSuppliers)} ${mark(n.maxSuppliers >= GOALS.nightSuppliers)}`],
        ['first size with a miss', integer(n.firstBreakingSize), ''],
        [`planner's steady-state arithmetic (bottleneck ${n.analyticBottleneck})`, integer(n.analyticMaxSuppliers), ''],
      ],
    ),
  );
  console.log(`Plan's use of each pool at ${integer(n.maxSuppliers)} suppliers (capacity = limit × night minutes, before headroom):`);
  console.log(
    formatTable(
      [
        { header: 'pool' },
        { header: 'capacity/night', align: 'right' },
        { header: 'avg jobs/night', align: 'right' },
        { header: 'busiest night', align: 'right' },
        { header: 'avg use', align: 'right' },
        { header: 'peak use', align: 'right' },
      ],
      n.pools.map((p) => [p.name, integer(p.capacityPerNight), integer(p.avgJobsPerNight), integer(p.peakJobsPerNight), percent(p.avgUse), percent(p.peakUse)]),
    ),
  );
  console.log(`simulations: ${n.simulations.map((s) => `${integer(s.suppliers)} → ${integer(s.violations)} misses (${seconds(s.ms)})`).join('; ')}`);
}

function printRegister(r: RegisterResult): void {
  console.log(`\n3. Register scale: ${integer(r.rows)} suppliers (CSV ${fixed(r.csvSizeMb, 1)} MB, ${r.csvEncoding}), in the core (no IPC)`);
  const rows: string[][] = [
    ['import', `${integer(r.importRowsPerSec)} rows/s`, `${integer(r.inserted)} inserted, ${r.rejected} rejected in ${seconds(r.importMs)}`, ''],
    ['import peak RSS', `${fixed(r.importPeakRssMb, 0)} MB`, `child process; ${fixed(r.importBaselineRssMb, 0)} MB before the import`, ''],
    ['search per keystroke p50', millis(r.searchP50Ms), `${r.searchKeystrokes} keystrokes, limit 100`, ''],
    ['search per keystroke p95', millis(r.searchP95Ms), `max ${millis(r.searchMaxMs)}`, `< ${GOALS.searchP95Ms} ms ${mark(r.searchP95Ms < GOALS.searchP95Ms)}`],
    ['  same, CPU time p50 / p95', `${millis(r.searchCpuP50Ms)} / ${millis(r.searchCpuP95Ms)}`, 'process CPU time: steadier than wall time when other processes compete', ''],
    ...r.searchByPrefixLength.map((g) => [`  typed: ${g.length}`, `${millis(g.p50Ms)} / ${millis(g.p95Ms)}`, `p50 / p95 over ${g.count}`, '']),
    ['page of 100, no text, p50', millis(r.pageMs), `p95 ${millis(r.pageP95Ms)}, max ${millis(r.pageMaxMs)}, offsets 0 … ${integer(r.rows - 100)}`, ''],
    [`page of 100, text "${r.pageBroadTextText}"`, millis(r.pageBroadTextP50Ms), `p95 ${millis(r.pageBroadTextP95Ms)}; ${integer(r.pageBroadTextMatches)} matches`, ''],
    ['SQLite file', `${fixed(r.dbSizeMb, 1)} MB`, `${integer(r.dbBytesPerSupplier)} bytes per supplier, after a WAL checkpoint`, ''],
  ];
  console.log(formatTable([{ header: 'figure' }, { header: 'value', align: 'right' }, { header: 'detail' }, { header: 'goal' }], rows));
  console.log(`slowest prefixes (median): ${r.slowestPrefixes.map((p) => `"${p.text}" ${millis(p.medianMs)} (${integer(p.matches)} matches)`).join(', ')}`);
}

function printSimulation(result: NightRunResult): void {
  const night = result.nightsRun[0];
  console.log(
    `\n4. One night in virtual time: 10,000 suppliers, real limits, planner + executor + client + limiter against the fake API on an injected clock`,
  );
  console.log(
    formatTable(
      [{ header: 'pool' }, { header: 'limit', align: 'right' }, { header: 'accepted', align: 'right' }, { header: 'of its limit', align: 'right' }, { header: 'where the ceiling left room', align: 'right' }, { header: '429', align: 'right' }],
      result.perPool
        .filter((p) => p.accepted > 0)
        .map((p) => [p.pool, integer(p.limit), integer(p.accepted), p.utilization === null ? '—' : fixed(p.utilization, 2), p.utilizationWhenCeilingFree === null ? '— (ceiling-bound)' : fixed(p.utilizationWhenCeilingFree, 2), integer(p.count429)]),
    ),
  );
  const c = result.ceiling;
  console.log(
    `per-IP ceiling (${integer(c.limit)} per ${c.windowMs / 60_000} min, all pools): ${integer(c.boundWindows)} full windows where the pools with work asked for more; ` +
      `there the pools together used ${c.utilizationWhenBound === null ? '—' : fixed(c.utilizationWhenBound, 2)} of it (worst window ${c.worstBoundWindow === null ? '—' : fixed(c.worstBoundWindow, 2)})`,
  );
  console.log(
    `calls ${integer(result.requests)}, jobs done ${integer(night?.done ?? 0)} of ${integer(night?.jobs ?? 0)} in ${integer(night?.virtualMinutes ?? 0)} virtual minutes of 240; ` +
      `SLA misses ${integer(result.slaMisses)}; 429 ${integer(result.count429)}; real time ${seconds(result.wallMs)}`,
  );
}

function simulationGoals(result: NightRunResult): Goal[] {
  const goals: Goal[] = [];
  for (const p of result.perPool.filter((pool) => pool.accepted > 0)) {
    // a pool is held to its own limit wherever the shared ceiling leaves it room
    const value = p.utilizationWhenCeilingFree;
    goals.push({
      id: `simulation.${p.pool}.utilization`,
      label: `night ${p.pool} utilization (ceiling free)`,
      target: `>= ${GOALS.utilization}`,
      value,
      met: value === null ? null : value >= GOALS.utilization,
    });
  }
  const ceiling = result.ceiling.utilizationWhenBound;
  goals.push({
    id: 'simulation.ceiling.utilization',
    label: 'night per-IP ceiling utilization (bound)',
    target: `>= ${GOALS.utilization}`,
    value: ceiling,
    met: ceiling === null ? null : ceiling >= GOALS.utilization,
  });
  goals.push({ id: 'simulation.count429', label: 'night 429s', target: '= 0', value: result.count429, met: result.count429 === 0 });
  goals.push({ id: 'simulation.slaMisses', label: 'night SLA misses', target: '= 0', value: result.slaMisses, met: result.slaMisses === 0 });
  const night = result.nightsRun[0];
  const minutes = night?.virtualMinutes ?? Number.POSITIVE_INFINITY;
  goals.push({
    id: 'simulation.nightMinutes',
    label: 'night: 10,000 suppliers, minutes',
    target: '<= 240',
    value: minutes,
    met: night !== undefined && night.done === night.jobs && minutes <= 240,
  });
  return goals;
}

function goalsOf(refresh?: RefreshResult, night?: NightResult, register?: RegisterResult, totalMs?: number, simulation?: NightRunResult): Goal[] {
  const goals: Goal[] = [];
  for (const p of refresh?.pools ?? []) {
    goals.push({
      id: `refresh.${p.name}.utilization`,
      label: `refresh ${p.name} utilization`,
      target: `>= ${GOALS.utilization}`,
      value: p.utilization,
      met: p.utilization === null ? null : p.utilization >= GOALS.utilization,
    });
  }
  if (refresh) goals.push({ id: 'refresh.count429', label: 'refresh 429s (Vigie)', target: '= 0', value: refresh.count429, met: refresh.count429 === 0 });
  if (night) {
    goals.push({ id: 'night.maxSuppliers', label: 'night: largest register', target: `>= ${GOALS.nightSuppliers}`, value: night.maxSuppliers, met: night.maxSuppliers >= GOALS.nightSuppliers });
  }
  if (register) {
    goals.push({ id: 'register.searchP95Ms', label: 'search p95 per keystroke', target: `< ${GOALS.searchP95Ms} ms`, value: register.searchP95Ms, met: register.searchP95Ms < GOALS.searchP95Ms });
  }
  if (simulation) goals.push(...simulationGoals(simulation));
  if (totalMs !== undefined) goals.push({ id: 'bench.totalMs', label: 'whole bench', target: '< 300 s', value: totalMs, met: totalMs < GOALS.totalMs });
  return goals;
}

/** Three decimals are plenty; NaN and infinities become null (JSON has neither). */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 1_048_576),
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  progress(`${args.parts.join(', ')} on ${machine.cpus} × ${machine.cpuModel}, load ${machine.loadAverageAtStart.join(' ')}`);
  const errors: { part: Part; message: string }[] = [];
  const durations: Partial<Record<Part, number>> = {};
  let refresh: RefreshResult | undefined;
  let night: NightResult | undefined;
  let register: RegisterResult | undefined;
  let simulation: NightRunResult | undefined;
  for (const part of args.parts) {
    const partStart = Date.now();
    try {
      if (part === 'refresh') refresh = await runRefreshCapacity(DEFAULT_REFRESH_SETTINGS);
      if (part === 'night') night = runNightPlan(DEFAULT_NIGHT_SETTINGS);
      if (part === 'register') register = await runRegisterScale({ ...DEFAULT_REGISTER_SETTINGS, rows: args.rows });
      if (part === 'simulation') simulation = await runNightSimulation({ suppliers: 10_000, nights: 1, seed: 'bench' });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ part, message });
      progress(`${part} crashed: ${message}`);
    }
    durations[part] = Date.now() - partStart;
    progress(`${part} done in ${seconds(durations[part] ?? 0)}`);
  }
  const totalMs = Date.now() - started;
  const loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);

  if (refresh) printRefresh(refresh);
  if (night) printNight(night);
  if (register) printRegister(register);
  if (simulation) printSimulation(simulation);
  const complete = args.parts.length === PARTS.length && args.rows === DEFAULT_REGISTER_SETTINGS.rows;
  const goals = goalsOf(refresh, night, register, complete ? totalMs : undefined, simulation);
  console.log('\nGoals');
  console.log(
    formatTable(
      [{ header: 'goal' }, { header: 'target' }, { header: 'value', align: 'right' }, { header: '' }],
      goals.map((g) => [g.label, g.target, g.id === 'bench.totalMs' ? seconds(g.value) : fixed(g.value, g.id.includes('utilization') ? 2 : g.id.includes('Ms') ? 1 : 0), mark(g.met)]),
    ),
  );

  const output = {
    schema: 'vigie-bench/1',
    startedAt: new Date(started).toISOString(),
    totalMs,
    partMs: durations,
    machine: { ...machine, loadAverageAtEnd },
    goals,
    errors,
    refresh: refresh ?? null,
    night: night ?? null,
    register: register ?? null,
    simulation: simulation ?? null,
  };
  writeFileSync(args.jsonPath, `${JSON.stringify(output, jsonNumbers, 2)}\n`);
  console.log(
    `\n${goals.filter((g) => g.met === false).length} goal(s) missed; bench took ${seconds(totalMs)}; load average ${machine.loadAverageAtStart[0]} at the start, ` +
      `${loadAverageAtEnd[0]} at the end (${machine.cpus} CPUs); figures written to ${args.jsonPath}`,
  );
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
