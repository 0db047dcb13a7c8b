// Which answers go wrong, and how. Faults come from three sources, checked in this order:
// persistent rules for an identifier, a queue of "next N calls" entries, then a random draw at
// `rate`. The draw is keyed by the call (endpoint, identifier, how many times it was called), not
// by arrival order, so a seeded run gives the same faults even when requests interleave.
import { ENDPOINTS, type EndpointId, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import { uniformFor } from './deterministic-random';

export const FAULT_KINDS = [
  'provider_error',
  'unavailable',
  'gateway_timeout',
  'conflict',
  'slow',
  'truncated_pdf',
  'html_200',
  'malformed_json',
  'connection_reset',
  'huge_body',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export type RequestKind = 'api' | 'document';

/** The provider faults need a provider behind the endpoint; a truncated PDF needs a PDF. */
const APPLIES_TO: Record<FaultKind, readonly RequestKind[]> = {
  provider_error: ['api'],
  unavailable: ['api'],
  gateway_timeout: ['api'],
  conflict: ['api'],
  slow: ['api', 'document'],
  truncated_pdf: ['document'],
  html_200: ['api', 'document'],
  malformed_json: ['api'],
  connection_reset: ['api', 'document'],
  huge_body: ['api', 'document'],
};

const NEEDS_PROVIDER: ReadonlySet<FaultKind> = new Set(['provider_error', 'unavailable', 'gateway_timeout', 'conflict']);

export interface FaultTarget {
  kind: RequestKind;
  endpoint: EndpointId | null;
  /** The SIREN or SIRET of the call (or of the document's company). */
  identifier: string | null;
  /** Distinguishes the n-th identical call, for the random draw. */
  callKey: string;
}

export interface FaultFilter {
  endpoint?: EndpointId;
  pool?: RateLimitPoolId;
  /** A SIREN matches every SIRET of that company. */
  identifier?: string;
  /** Only API calls or only document downloads. */
  requestKind?: RequestKind;
}

interface QueuedFault {
  fault: FaultKind;
  remaining: number;
  filter: FaultFilter;
}

export function faultApplies(fault: FaultKind, target: FaultTarget): boolean {
  if (!APPLIES_TO[fault].includes(target.kind)) return false;
  if (NEEDS_PROVIDER.has(fault) && (target.endpoint === null || target.endpoint === 'privileges')) return false;
  return true;
}

function matches(filter: FaultFilter, target: FaultTarget): boolean {
  if (filter.requestKind !== undefined && filter.requestKind !== target.kind) return false;
  if (filter.endpoint !== undefined && filter.endpoint !== target.endpoint) return false;
  if (filter.pool !== undefined && (target.endpoint === null || ENDPOINTS[target.endpoint].pool !== filter.pool)) return false;
  if (filter.identifier !== undefined) {
    const id = target.identifier;
    if (id === null || (id !== filter.identifier && id.slice(0, 9) !== filter.identifier)) return false;
  }
  return true;
}

export interface RandomFaults {
  /** Probability, from 0 to 1, that an eligible call fails. */
  rate: number;
  /** Relative weights of the kinds drawn; kinds left out are never drawn. */
  weights: Partial<Record<FaultKind, number>>;
}

export const DEFAULT_RANDOM_WEIGHTS: Partial<Record<FaultKind, number>> = {
  provider_error: 4,
  unavailable: 2,
  gateway_timeout: 2,
  html_200: 1,
  malformed_json: 1,
  connection_reset: 1,
  truncated_pdf: 1,
};

export class FaultController {
  private readonly rules: { filter: FaultFilter; fault: FaultKind }[] = [];
  private readonly queue: QueuedFault[] = [];
  private random: RandomFaults;

  constructor(
    private readonly seed: string,
    random: RandomFaults = { rate: 0, weights: DEFAULT_RANDOM_WEIGHTS },
  ) {
    this.random = random;
  }

  /** The next `count` calls matching the filter fail with `fault` (queued entries apply in order). */
  forceNext(fault: FaultKind, count = 1, filter: FaultFilter = {}): void {
    this.queue.push({ fault, remaining: count, filter });
  }

  /** Every call for this SIREN/SIRET fails with `fault` until cleared. */
  forceFor(identifier: string, fault: FaultKind, filter: Omit<FaultFilter, 'identifier'> = {}): void {
    this.rules.push({ filter: { ...filter, identifier }, fault });
  }

  setRandom(random: RandomFaults): void {
    this.random = random;
  }

  /** Removes forced faults (all, or those of one identifier); the random rate stays. */
  clear(identifier?: string): void {
    if (identifier === undefined) {
      this.rules.length = 0;
      this.queue.length = 0;
      return;
    }
    for (let i = this.rules.length - 1; i >= 0; i -= 1) {
      if (this.rules[i]?.filter.identifier === identifier) this.rules.splice(i, 1);
    }
  }

  /** Forced faults still waiting in the "next N" queue. */
  get pending(): number {
    return this.queue.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  decide(target: FaultTarget): FaultKind | null {
    for (const rule of this.rules) {
      if (matches(rule.filter, target) && faultApplies(rule.fault, target)) return rule.fault;
    }
    const queued = this.queue.findIndex((entry) => matches(entry.filter, target) && faultApplies(entry.fault, target));
    const entry = queued >= 0 ? this.queue[queued] : undefined;
    if (entry) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.queue.splice(queued, 1);
      return entry.fault;
    }
    return this.drawRandom(target);
  }

  private drawRandom(target: FaultTarget): FaultKind | null {
    if (this.random.rate <= 0) return null;
    if (uniformFor(this.seed, 'fault?', target.callKey) >= this.random.rate) return null;
    const eligible = FAULT_KINDS.filter((kind) => (this.random.weights[kind] ?? 0) > 0 && faultApplies(kind, target));
    const total = eligible.reduce((sum, kind) => sum + (this.random.weights[kind] ?? 0), 0);
    if (total <= 0) return null;
    let point = uniformFor(this.seed, 'fault-kind', target.callKey) * total;
    for (const kind of eligible) {
      point -= this.random.weights[kind] ?? 0;
      if (point < 0) return kind;
    }
    return eligible[eligible.length - 1] ?? null;
  }
}
