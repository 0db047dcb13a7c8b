// The client Vigie must beat: a plain sequential fetch loop with no limiter, which waits a fixed
// delay after a 429 whatever `Retry-After` and `RateLimit-Reset` say. Each pool gets one server
// window (from its start to its end), pools one after the other: enough to measure its pace and
// its 429s without letting a slow loop eat the bench's time budget.
import { endpointPath, type EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { delay, nextWindowStart } from './bench-stats';
import type { PoolWorkload } from './refresh-workload';

export interface NaiveOptions {
  baseUrl: string;
  token: string;
  context: { recipient: string; context: string; object: string };
  workloads: readonly PoolWorkload[];
  windowMs: number;
  retryDelayMs: number;
  timeoutMs?: number;
}

export interface NaivePoolRun {
  workload: PoolWorkload;
  slotStart: number;
  slotEnd: number;
  jobsDone: number;
  retries: number;
  failed: number;
  failureKinds: Record<string, number>;
}

const MAX_ATTEMPTS_ON_ERROR = 3;

export async function runNaiveClient(options: NaiveOptions): Promise<NaivePoolRun[]> {
  const runs: NaivePoolRun[] = [];
  let slotStart = await nextWindowStart(options.windowMs);
  for (const workload of options.workloads) {
    const slotEnd = slotStart + options.windowMs;
    const run: NaivePoolRun = { workload, slotStart, slotEnd, jobsDone: 0, retries: 0, failed: 0, failureKinds: {} };
    for (const identifier of workload.identifiers) {
      if (Date.now() >= slotEnd) break;
      const outcome = await naiveJob(options, workload.endpoint, identifier, slotEnd);
      run.retries += outcome.retries;
      if (outcome.kind === 'cut') break;
      run.jobsDone += 1;
      if (outcome.kind !== 'ok') {
        run.failed += 1;
        run.failureKinds[outcome.kind] = (run.failureKinds[outcome.kind] ?? 0) + 1;
      }
    }
    runs.push(run);
    // the next pool gets the next window; a request still running at its start makes it begin late
    slotStart = slotEnd;
    await delay(slotStart - Date.now());
  }
  return runs;
}

/** 'ok', 'cut' (the time box ended first), or what made the job fail. */
type NaiveOutcome = { kind: string; retries: number };

async function naiveJob(options: NaiveOptions, endpoint: EndpointId, identifier: string, deadline: number): Promise<NaiveOutcome> {
  const query = new URLSearchParams(options.context);
  const url = `${options.baseUrl}${endpointPath(endpoint, identifier)}?${query.toString()}`;
  let errors = 0;
  let retries = 0;
  for (let attempt = 0; ; attempt += 1) {
    if (Date.now() >= deadline) return { kind: 'cut', retries };
    if (attempt > 0) retries += 1;
    let status: number | null = null;
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      status = response.status;
      const body = (await response.json().catch(() => null)) as { data?: { document_url?: unknown } } | null;
      if (status === 200) {
        const documentUrl = body?.data?.document_url;
        if (typeof documentUrl === 'string') {
          const download = await fetch(documentUrl, { signal: AbortSignal.timeout(12_000) });
          await download.arrayBuffer();
        }
        return { kind: 'ok', retries };
      }
    } catch {
      status = null;
    }
    // the wait is cut at the end of the time box: bookkeeping of the bench, not the client's behaviour
    const wait = Math.min(options.retryDelayMs, Math.max(0, deadline - Date.now()));
    if (status === 429) {
      await delay(wait);
      continue;
    }
    if (status === null || status >= 500) {
      errors += 1;
      if (errors >= MAX_ATTEMPTS_ON_ERROR) return { kind: status === null ? 'timeout' : `http_${status}`, retries };
      await delay(wait);
      continue;
    }
    // 404, 451...: the provider's final word
    return { kind: 'ok', retries };
  }
}
