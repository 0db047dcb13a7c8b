// The API environments a user can pick in the settings. The base URL is chosen here, never typed
// into a browser.
export type ApiEnvironment = 'production' | 'staging' | 'local';

export const API_BASE_URLS: Record<Exclude<ApiEnvironment, 'local'>, string> = {
  production: 'https://entreprise.api.gouv.fr',
  staging: 'https://staging.entreprise.api.gouv.fr',
};

/** Only the two official hosts over https, or the local fake API on the loopback interface. */
export function isAllowedApiBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return false;
  if (url.protocol === 'https:' && Object.values(API_BASE_URLS).includes(url.origin)) return url.pathname === '/' || url.pathname === '';
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
}
