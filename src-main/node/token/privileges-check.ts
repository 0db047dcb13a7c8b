import { ApiEntrepriseClient, type ApiClientOptions } from '../api-entreprise/api-client';
import { parsePrivileges } from '../api-entreprise/normalizers/privileges';
import type { PrivilegesChecker } from './token-vault';

/**
 * GET /privileges with a candidate token, through its own client (same transport and limiter as
 * the main one) so that a refused candidate never latches the main client.
 */
export function createPrivilegesChecker(base: Omit<ApiClientOptions, 'tokenProvider' | 'onTokenRefused'>): PrivilegesChecker {
  return async (candidate) => {
    const client = new ApiEntrepriseClient({ ...base, tokenProvider: () => candidate, retry: { maxAttempts: 2 } });
    const result = await client.call('privileges', null);
    return parsePrivileges(result.payload);
  };
}
