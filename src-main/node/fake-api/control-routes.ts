// Control routes under /__fake/, for a fake API started by the CLI in another process (demos,
// end-to-end runs): read the counters, force or clear faults. They are not API Entreprise paths,
// need no token (the server only listens on 127.0.0.1) and never touch the rate limits.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ENDPOINT_IDS, RATE_LIMIT_POOLS, type EndpointId, type RateLimitPoolId } from '../api-entreprise/endpoint-catalogue';
import type { FakeApiStats } from './fake-api-stats';
import { FAULT_KINDS, type FaultController, type FaultFilter } from './fault-injection';
import { sendJson, sendText } from './http-answers';

export const CONTROL_PREFIX = '/__fake/';

const faultRequestSchema = z.object({
  fault: z.enum(FAULT_KINDS),
  /** How many matching calls fail; ignored with `identifier` + `persistent`. */
  count: z.number().int().min(1).max(100_000).default(1),
  /** With an identifier: every call for it fails until DELETE /__fake/faults. */
  persistent: z.boolean().default(false),
  identifier: z.string().regex(/^\d{9}(\d{5})?$/).optional(),
  endpoint: z.enum(ENDPOINT_IDS as [EndpointId, ...EndpointId[]]).optional(),
  pool: z.enum(Object.keys(RATE_LIMIT_POOLS) as [RateLimitPoolId, ...RateLimitPoolId[]]).optional(),
  requestKind: z.enum(['api', 'document']).optional(),
});

const MAX_BODY_BYTES = 16 * 1024;

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(null));
  });
}

/** Answers a /__fake/ request; returns the status sent, for the counters. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  stats: FakeApiStats,
  faults: FaultController,
): Promise<number> {
  const route = `${req.method ?? ''} ${pathname.slice(CONTROL_PREFIX.length)}`;
  if (route === 'GET stats') {
    sendJson(res, 200, stats);
    return 200;
  }
  if (route === 'DELETE faults') {
    faults.clear();
    sendJson(res, 200, { cleared: true });
    return 200;
  }
  if (route === 'POST faults') {
    const text = await readBody(req);
    let json: unknown = null;
    try {
      json = text === null ? null : (JSON.parse(text) as unknown);
    } catch {
      json = null;
    }
    const parsed = faultRequestSchema.safeParse(json);
    if (!parsed.success) {
      sendJson(res, 400, { error: 'expected {"fault": one of the fault kinds, "count"?, "identifier"?, "endpoint"?, "pool"?, "requestKind"?, "persistent"?}' });
      return 400;
    }
    const { fault, count, persistent, identifier, endpoint, pool, requestKind } = parsed.data;
    const filter: FaultFilter = {};
    if (endpoint) filter.endpoint = endpoint;
    if (pool) filter.pool = pool;
    if (requestKind) filter.requestKind = requestKind;
    if (persistent && identifier) faults.forceFor(identifier, fault, filter);
    else faults.forceNext(fault, count, identifier ? { ...filter, identifier } : filter);
    sendJson(res, 200, { forced: parsed.data, pending: faults.pending });
    return 200;
  }
  sendText(res, 404, 'Route de contrôle inconnue : GET /__fake/stats, POST /__fake/faults, DELETE /__fake/faults');
  return 404;
}
