// Which addresses Vigie may hand to the system browser (`shell.openExternal`). openExternal runs
// whatever the operating system associates with a URL: a `file:`, `smb:` or custom-scheme URL
// coming from a company name, an API answer or a compromised page can start a program. So the
// shell opens only https pages of a few public services, chosen here, and nothing else.

/**
 * The hosts, exactly (no subdomain wildcard: a typo-squatted or taken-over subdomain must not
 * pass), with the path prefixes allowed on each.
 */
export const EXTERNAL_LINK_ALLOW_LIST: Readonly<Record<string, readonly string[]>> = {
  // API Entreprise: the account (token renewal, habilitations), the catalogue and the documentation
  'entreprise.api.gouv.fr': ['/'],
  // the public record of a company, for an agent checking a supplier by hand
  'annuaire-entreprises.data.gouv.fr': ['/'],
  // INSEE's « avis de situation » of a SIREN/SIRET
  'avis-situation-sirene.insee.fr': ['/'],
  // URSSAF's page to check an attestation de vigilance with its security code
  'www.urssaf.fr': ['/'],
  // DGFiP's pages about the attestation de régularité fiscale
  'www.impots.gouv.fr': ['/'],
};

const MAX_URL_LENGTH = 2_048;

/**
 * Whether `url` may be opened in the system browser: https, default port, no credentials, a host
 * of the allow-list exactly, a path under one of its prefixes. Anything unparsable is refused.
 */
export function isAllowedExternalUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  // control characters and spaces are never part of a link we build; a URL parser would strip some of them
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  const prefixes = Object.hasOwn(EXTERNAL_LINK_ALLOW_LIST, parsed.hostname) ? EXTERNAL_LINK_ALLOW_LIST[parsed.hostname] : undefined;
  if (!prefixes) return false;
  // the string must say what the parser understood: no `https://evil@host`, no host given in another form
  if (!url.toLowerCase().startsWith(`https://${parsed.hostname}/`) && url.toLowerCase() !== `https://${parsed.hostname}`) return false;
  return prefixes.some((prefix) => parsed.pathname.startsWith(prefix));
}

/**
 * Opens `url` with `open` (Electron's `shell.openExternal`) when it is allowed; resolves to
 * whether it was opened. The shell calls this, never `shell.openExternal` directly.
 */
export async function openExternalSafely(url: unknown, open: (url: string) => Promise<void>): Promise<boolean> {
  if (typeof url !== 'string' || !isAllowedExternalUrl(url)) return false;
  try {
    await open(new URL(url).href);
    return true;
  } catch {
    return false;
  }
}

/** The public record of a company on annuaire-entreprises.data.gouv.fr. */
export function annuaireEntreprisesUrl(sirenOrSiret: string): string | null {
  if (!/^(\d{9}|\d{14})$/.test(sirenOrSiret)) return null;
  const kind = sirenOrSiret.length === 9 ? 'entreprise' : 'etablissement';
  return `https://annuaire-entreprises.data.gouv.fr/${kind}/${sirenOrSiret}`;
}
