// `GET /privileges`: the scopes the token may call. Its 200 body is not described by the OpenAPI
// contract, so it is read defensively: `{ data: { privileges: [...] } }`, `{ privileges: [...] }`,
// `{ data: [...] }` or a bare list, whose items are scope strings or objects naming one
// (`name`, `scope`, `code`, `id`).
import { z } from 'zod';
import { MalformedPayloadError } from './shared';

const SCOPE = /^[A-Za-z0-9_.:-]{1,100}$/;

const itemSchema = z.union([
  z.string(),
  z.object({ name: z.string() }),
  z.object({ scope: z.string() }),
  z.object({ code: z.string() }),
  z.object({ id: z.string() }),
]);

const listSchema = z.array(z.unknown());

function itemScope(item: unknown): string | null {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) return null;
  const value = parsed.data;
  const raw = typeof value === 'string' ? value : 'name' in value ? value.name : 'scope' in value ? value.scope : 'code' in value ? value.code : value.id;
  const scope = raw.trim();
  return SCOPE.test(scope) ? scope : null;
}

function findList(payload: unknown): unknown[] | null {
  const candidates: unknown[] = [payload];
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const root = payload as Record<string, unknown>;
    const data = root['data'];
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
      candidates.push((data as Record<string, unknown>)['privileges'], (data as Record<string, unknown>)['scopes']);
    }
    candidates.push(data, root['privileges'], root['scopes']);
  }
  for (const candidate of candidates) {
    const parsed = listSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** The token's scopes, deduplicated in the order given; throws MalformedPayloadError when no list is found. */
export function parsePrivileges(payload: unknown): string[] {
  const items = findList(payload);
  if (items === null) throw new MalformedPayloadError('privileges', ['(payload): no list of privileges found']);
  const scopes: string[] = [];
  let unreadable = 0;
  for (const item of items) {
    const scope = itemScope(item);
    if (scope === null) unreadable += 1;
    else if (!scopes.includes(scope)) scopes.push(scope);
  }
  if (scopes.length === 0 && unreadable > 0) {
    throw new MalformedPayloadError('privileges', [`(payload): ${unreadable} unreadable privilege entries`]);
  }
  return scopes;
}
