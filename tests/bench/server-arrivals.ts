// The fake API's view of the traffic, from its per-request log line ("GET <path> <status> <ms>ms",
// written when the answer is finished or the connection is closed). The arrival time is the log
// time minus the duration: it is the instant the server counted the request against its window,
// whoever the client is and whatever the client later made of the answer (a client-side timeout
// does not give the quota back).
import type { RateLimitPoolId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { matchRoute } from '../../src-main/node/fake-api/route-matcher';

export interface ServerArrival {
  /** Epoch ms at which the server received (and counted) the request. */
  at: number;
  pool: RateLimitPoolId;
  /** HTTP status, or null when the connection closed before an answer (client timeout). */
  status: number | null;
}

const LINE = /^(\S+) (\S+) (\S+) (\d+)ms$/;

export class ServerArrivals {
  readonly arrivals: ServerArrival[] = [];

  /** Pass as the fake API's `log` option. */
  readonly log = (line: string): void => {
    const now = Date.now();
    const match = LINE.exec(line);
    if (!match) return;
    const route = matchRoute(match[2] as string);
    if (!route) return; // document downloads and control routes are not rate limited
    const status = Number(match[3]);
    this.arrivals.push({ at: now - Number(match[4]), pool: route.endpoint.pool, status: Number.isInteger(status) ? status : null });
  };

  forPool(pool: RateLimitPoolId): ServerArrival[] {
    return this.arrivals.filter((a) => a.pool === pool);
  }
}

export interface WindowUse {
  /** Windows entirely inside the interval during which the pool had work to send. */
  fullWindows: number;
  /** Requests the server accepted (counted against the pool: any answer but 429) in those windows. */
  acceptedInFullWindows: number;
  /** acceptedInFullWindows / (limit × fullWindows); null without a full window. */
  utilization: number | null;
}

/**
 * Achieved rate over the pool's limit while it had work: only the server's fixed windows that lie
 * entirely between the moment the work was handed over (`workStart`) and the moment the pool had
 * nothing left to send (`workEnd`) count; the windows at either end are partial by nature.
 */
export function windowUse(arrivals: readonly ServerArrival[], limit: number, windowMs: number, workStart: number, workEnd: number): WindowUse {
  const first = Math.ceil(workStart / windowMs);
  const last = Math.floor(workEnd / windowMs); // exclusive: the window [last·W, (last+1)·W) is not over
  const fullWindows = Math.max(0, last - first);
  let accepted = 0;
  for (const arrival of arrivals) {
    if (arrival.status === 429) continue;
    const window = Math.floor(arrival.at / windowMs);
    if (window >= first && window < last) accepted += 1;
  }
  return {
    fullWindows,
    acceptedInFullWindows: accepted,
    utilization: fullWindows > 0 ? accepted / (limit * fullWindows) : null,
  };
}

/** Requests the server accepted in each window from the one containing `from`, in order. */
export function acceptedPerWindow(arrivals: readonly ServerArrival[], windowMs: number, from: number): number[] {
  const first = Math.floor(from / windowMs);
  const counts: number[] = [];
  for (const arrival of arrivals) {
    if (arrival.status === 429) continue;
    const index = Math.floor(arrival.at / windowMs) - first;
    if (index < 0) continue;
    while (counts.length <= index) counts.push(0);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}
