// From a request path to a catalogue endpoint and its raw identifier. The templates come from
// ENDPOINTS, so the fake API serves exactly the paths the client calls.
import { ENDPOINTS, type EndpointId, type EndpointSpec } from '../api-entreprise/endpoint-catalogue';

export interface RouteMatch {
  endpoint: EndpointSpec;
  /** As sent (decoded), not validated yet; null for /privileges. */
  identifier: string | null;
}

interface CompiledRoute {
  endpoint: EndpointSpec;
  pattern: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(endpoint: EndpointSpec): CompiledRoute {
  const [before, after] =
    endpoint.identifier === 'none' ? [endpoint.pathTemplate, ''] : endpoint.pathTemplate.split(`{${endpoint.identifier}}`);
  const pattern =
    endpoint.identifier === 'none'
      ? new RegExp(`^${escapeRegExp(before ?? '')}/?$`)
      : new RegExp(`^${escapeRegExp(before ?? '')}([^/]+)${escapeRegExp(after ?? '')}$`);
  return { endpoint, pattern };
}

// literal-heavy templates first: ".../diffusibles/{siren}" must win over ".../{siren}"
const ROUTES: readonly CompiledRoute[] = (Object.keys(ENDPOINTS) as EndpointId[])
  .map((id) => compile(ENDPOINTS[id]))
  .sort((a, b) => b.endpoint.pathTemplate.length - a.endpoint.pathTemplate.length);

export function matchRoute(pathname: string): RouteMatch | null {
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    let identifier: string | null = null;
    if (match[1] !== undefined) {
      try {
        identifier = decodeURIComponent(match[1]);
      } catch {
        identifier = match[1];
      }
    }
    return { endpoint: route.endpoint, identifier };
  }
  return null;
}
