// « Tester la connexion »: the path from this computer to API Entreprise, step by step (proxy,
// name resolution, certificate, the API itself), each explained in plain French with what to do.
// Every probe is injected: the Electron shell passes Chromium's proxy resolver and net.fetch, tests
// pass fakes. Precise English details go to the log; the token never appears in a step or a log line.
import { isIP } from 'node:net';
import type { Clock } from '../clock';
import { frenchDate } from '../refresh/french-format';
import type { Logger } from '../logger';
import { ApiEntrepriseError } from '../api-entreprise/api-error';

export type ConnectionStepId = 'proxy' | 'dns' | 'tls' | 'api';
export type ConnectionStepStatus = 'ok' | 'echec' | 'ignore';

export interface ConnectionStep {
  id: ConnectionStepId;
  /** French. */
  label: string;
  status: ConnectionStepStatus;
  /** French, for a town-hall agent: what was found and, on failure, what to do. */
  detail: string;
  durationMs: number;
}

export interface ConnectionReport {
  /** The API's address (origin only), as tested. */
  apiUrl: string;
  ok: boolean;
  steps: ConnectionStep[];
}

/** A proxy as Chromium's resolver names it: `PROXY host:port`, `HTTPS host:port`, `SOCKS5 host:port`. */
export interface ProxyServer {
  scheme: 'PROXY' | 'HTTPS' | 'SOCKS' | 'SOCKS4' | 'SOCKS5';
  host: string;
  port: number;
}

export interface TlsCertificateInfo {
  /** The issuer's organisation or common name, as the certificate says. */
  issuer: string;
  /** The subject's common name. */
  subject: string;
  validTo: Date;
  /** null when the certificate was accepted; otherwise OpenSSL/Node's code (`DEPTH_ZERO_SELF_SIGNED_CERT`...). */
  verifyError: string | null;
}

/** What the TLS probe answers; a failure before any certificate was seen is thrown instead. */
export type TlsProbe = (target: { host: string; port: number; proxy: ProxyServer | null }, signal: AbortSignal) => Promise<TlsCertificateInfo>;

/** GET without a token, through the app's transport: status and parsed JSON body (null when not JSON). */
export type UnauthenticatedProbe = (url: string, signal: AbortSignal) => Promise<{ status: number; json: unknown }>;

export interface ConnectionProbes {
  /** Chromium's `session.resolveProxy` answer for that URL (`DIRECT`, `PROXY host:port; DIRECT`...). */
  resolveProxy(url: string): Promise<string>;
  /** The host's addresses. */
  lookup(host: string, signal: AbortSignal): Promise<string[]>;
  tlsHandshake: TlsProbe;
  fetchUnauthenticated: UnauthenticatedProbe;
  /**
   * GET /privileges with the stored token, through the app's API client (journaled, the token
   * stays in the main process). `absent`: no token; `unusable`: the stored one is known to be
   * refused or expired, so it is not sent (`reason` is French).
   */
  storedTokenPrivileges(signal: AbortSignal): Promise<StoredTokenCheck>;
}

export type StoredTokenCheck = { status: 'absent' } | { status: 'unusable'; reason: string } | { status: 'checked'; scopes: string[] };

export interface ConnectionCheckOptions {
  baseUrl: string;
  probes: ConnectionProbes;
  clock: Clock;
  logger: Logger;
  /** Per step; defaults to CONNECTION_STEP_TIMEOUTS_MS. */
  timeoutsMs?: Partial<Record<ConnectionStepId, number>>;
}

export const CONNECTION_STEP_TIMEOUTS_MS: Record<ConnectionStepId, number> = {
  proxy: 5_000,
  dns: 5_000,
  tls: 10_000,
  // the client's own timeout (5 s) and one retry fit in it
  api: 15_000,
};

export const CONNECTION_STEP_LABELS: Record<ConnectionStepId, string> = {
  proxy: 'Proxy du poste',
  dns: 'Adresse du service (DNS)',
  tls: 'Connexion sécurisée (certificat)',
  api: 'Réponse d’API Entreprise',
};

const IT_SERVICE = 'Contactez le service informatique de la mairie';

class StepTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

interface StepOutcome {
  status: ConnectionStepStatus;
  detail: string;
  /** A failure that makes the following steps meaningless. */
  blocking?: boolean;
  /** English, for the log. */
  log?: Record<string, unknown>;
}

/** Runs the steps in order; after a blocking failure, the rest are marked ignored with the reason. */
export async function checkConnection(options: ConnectionCheckOptions): Promise<ConnectionReport> {
  const { probes, clock, logger } = options;
  const timeouts = { ...CONNECTION_STEP_TIMEOUTS_MS, ...options.timeoutsMs };
  const url = new URL(options.baseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const isHttps = url.protocol === 'https:';
  const port = url.port === '' ? (isHttps ? 443 : 80) : Number(url.port);
  const steps: ConnectionStep[] = [];
  let blockedBy: ConnectionStepId | null = null;
  let proxy: ProxyServer | null = null;

  const run = async (id: ConnectionStepId, body: (signal: AbortSignal) => Promise<StepOutcome>): Promise<void> => {
    if (blockedBy !== null) {
      steps.push({ id, label: CONNECTION_STEP_LABELS[id], status: 'ignore', detail: notTestedBecause(blockedBy), durationMs: 0 });
      return;
    }
    const started = clock.now();
    const outcome = await withTimeout(clock, timeouts[id], body).catch((error: unknown): StepOutcome => {
      if (error instanceof StepTimeout) {
        return { status: 'echec', blocking: true, detail: timeoutDetail(id, error.ms), log: { error: error.message } };
      }
      return { status: 'echec', blocking: true, detail: unexpectedDetail(id), log: { error: englishError(error) } };
    });
    const step: ConnectionStep = { id, label: CONNECTION_STEP_LABELS[id], status: outcome.status, detail: outcome.detail, durationMs: Math.max(0, clock.now() - started) };
    steps.push(step);
    const fields = { step: id, status: step.status, durationMs: step.durationMs, ...outcome.log };
    if (step.status === 'echec') logger.warn('connection test: step failed', fields);
    else logger.info('connection test: step done', fields);
    if (step.status === 'echec' && outcome.blocking) blockedBy = id;
  };

  await run('proxy', async () => {
    const answer = await probes.resolveProxy(url.href);
    proxy = parseProxyAnswer(answer);
    if (!proxy) return { status: 'ok', detail: 'Aucun proxy : ce poste s’adresse directement à API Entreprise.', log: { resolved: 'DIRECT' } };
    return {
      status: 'ok',
      detail: `Ce poste passe par le proxy ${proxy.host}:${proxy.port} pour joindre API Entreprise. Si la suite échoue, ${lowerFirst(IT_SERVICE)} : ce proxy doit laisser passer ${host}.`,
      log: { resolved: answer.slice(0, 200) },
    };
  });

  await run('dns', async (signal) => {
    if (isIP(host) !== 0) {
      return { status: 'ignore', detail: `L’adresse ${host} est déjà une adresse numérique : il n’y a pas de nom à rechercher.` };
    }
    if (proxy) {
      return { status: 'ignore', detail: 'Le proxy recherche lui-même l’adresse du service : ce poste n’a pas à la connaître.' };
    }
    try {
      const addresses = await probes.lookup(host, signal);
      if (addresses.length === 0) throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
      return { status: 'ok', detail: `Le nom ${host} est bien trouvé sur le réseau.`, log: { addresses: addresses.slice(0, 4) } };
    } catch (error) {
      return {
        status: 'echec',
        blocking: true,
        detail: `Le poste ne trouve pas l’adresse de ${host} : la connexion à Internet ne fonctionne pas, ou le réseau de la mairie bloque ce nom. Vérifiez qu’un site comme service-public.fr s’ouvre ; sinon, ${lowerFirst(IT_SERVICE)}.`,
        log: { error: englishError(error) },
      };
    }
  });

  await run('tls', async (signal) => {
    if (!isHttps) {
      return { status: 'ignore', detail: 'L’API locale de démonstration n’utilise pas de connexion chiffrée : pas de certificat à vérifier.' };
    }
    const current: ProxyServer | null = proxy;
    if (current !== null && current.scheme !== 'PROXY') {
      return { status: 'ignore', detail: 'Ce type de proxy ne permet pas de lire le certificat à part : il est vérifié avec l’appel à API Entreprise ci-dessous.' };
    }
    let info: TlsCertificateInfo;
    try {
      info = await probes.tlsHandshake({ host, port, proxy: current }, signal);
    } catch (error) {
      const code = errorCode(error);
      const viaProxy = current !== null;
      return {
        status: 'echec',
        blocking: true,
        detail: code === 'PROXY_AUTH'
          ? `Le proxy ${current?.host ?? ''} demande une identification que Vigie ne peut pas fournir. ${IT_SERVICE} : le proxy doit laisser passer ${host} sans identification.`
          : viaProxy
            ? `Le proxy n’a pas ouvert la connexion vers ${host}. ${IT_SERVICE} : le proxy doit autoriser ${host}.`
            : `La connexion sécurisée avec ${host} n’a pas pu s’établir (réseau coupé ou pare-feu). ${IT_SERVICE} : le pare-feu doit laisser passer ${host} (port ${port}).`,
        log: { error: englishError(error) },
      };
    }
    const expiry = frenchDate(info.validTo.getTime());
    const log = { issuer: info.issuer, subject: info.subject, validTo: info.validTo.toISOString(), verifyError: info.verifyError };
    if (info.verifyError === null) {
      return { status: 'ok', detail: `Certificat valide, délivré par ${quote(info.issuer)}, valable jusqu’au ${expiry}.`, log };
    }
    return { status: 'echec', blocking: true, detail: certificateFailure(info, host), log };
  });

  await run('api', async (signal) => {
    let token: StoredTokenCheck;
    try {
      token = await probes.storedTokenPrivileges(signal);
    } catch (error) {
      return apiFailure(error, host);
    }
    if (token.status === 'checked') {
      const count = token.scopes.length;
      return {
        status: 'ok',
        detail: `API Entreprise répond et reconnaît le jeton de la commune (${count} ${count > 1 ? 'droits' : 'droit'}).`,
        log: { scopes: count },
      };
    }
    // no token: an unauthenticated request must be refused with a JSON:API 401, which proves the API answered
    let answer: { status: number; json: unknown };
    try {
      answer = await probes.fetchUnauthenticated(`${url.origin}${url.pathname.replace(/\/+$/, '')}/privileges`, signal);
    } catch (error) {
      return apiFailure(error, host);
    }
    const log = { status: answer.status, jsonApi: isJsonApiErrors(answer.json) };
    if (answer.status === 401 && isJsonApiErrors(answer.json)) {
      const tokenNote =
        token.status === 'absent'
          ? 'Aucun jeton n’est encore enregistré : collez-le dans l’écran Jeton pour vérifier aussi ses droits.'
          : `Le jeton enregistré n’a pas été envoyé : ${lowerFirst(token.reason)}`;
      return { status: 'ok', detail: `API Entreprise répond. ${tokenNote}`, log };
    }
    if (answer.status === 407) {
      return { status: 'echec', detail: `Le proxy demande une identification que Vigie ne peut pas fournir. ${IT_SERVICE} : le proxy doit laisser passer ${host} sans identification.`, log };
    }
    if (answer.status >= 500) {
      return { status: 'echec', detail: `API Entreprise est joignable mais en difficulté (erreur ${answer.status}). Réessayez plus tard ; la page de suivi d’API Entreprise indique les incidents en cours.`, log };
    }
    return {
      status: 'echec',
      detail: `Une réponse inattendue est arrivée à la place d’API Entreprise (code ${answer.status}) : souvent un proxy ou un portail de connexion qui s’intercale. ${IT_SERVICE}.`,
      log,
    };
  });

  return { apiUrl: url.origin, ok: steps.every((step) => step.status !== 'echec'), steps };
}

/** The first entry of a Chromium proxy list, or null for DIRECT. */
export function parseProxyAnswer(answer: string): ProxyServer | null {
  const first = answer.split(';')[0]?.trim() ?? '';
  const match = /^(PROXY|HTTPS|SOCKS5|SOCKS4|SOCKS)\s+(\[[^\]]+\]|[^\s:]+):(\d{1,5})$/i.exec(first);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  return { scheme: match[1].toUpperCase() as ProxyServer['scheme'], host: match[2].replace(/^\[|\]$/g, ''), port: Number(match[3]) };
}

function certificateFailure(info: TlsCertificateInfo, host: string): string {
  const issuer = quote(info.issuer);
  switch (info.verifyError) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `Le certificat reçu, délivré par ${issuer}, n’est pas reconnu par ce poste. C’est le signe qu’un proxy ou un antivirus de la mairie inspecte les connexions chiffrées. ${IT_SERVICE} : il faut installer le certificat de ce proxy sur le poste, ou laisser passer ${host} sans inspection.`;
    case 'CERT_HAS_EXPIRED':
      return `Le certificat reçu, délivré par ${issuer}, a expiré le ${frenchDate(info.validTo.getTime())}. Vérifiez d’abord la date et l’heure de l’ordinateur ; si elles sont justes, ${lowerFirst(IT_SERVICE)} : un proxy présente peut-être un certificat périmé.`;
    case 'CERT_NOT_YET_VALID':
      return 'Le certificat reçu n’est pas encore valable : la date de l’ordinateur est sans doute fausse. Corrigez la date et l’heure, puis réessayez.';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `Le certificat reçu est celui d’un autre site (${quote(info.subject)}), pas de ${host} : un proxy ou un portail de connexion (Wi-Fi public, par exemple) détourne la connexion. ${IT_SERVICE}.`;
    default:
      return `Le certificat reçu, délivré par ${issuer}, est refusé par ce poste. ${IT_SERVICE}.`;
  }
}

function apiFailure(error: unknown, host: string): StepOutcome {
  const log = { error: englishError(error) };
  if (error instanceof ApiEntrepriseError) {
    if (error.refusesToken || error.kind === 'token_missing') {
      return { status: 'echec', detail: `API Entreprise répond, mais refuse le jeton enregistré. ${error.userMessage}`, log };
    }
    if (error.kind === 'timeout') return { status: 'echec', detail: timeoutDetail('api', null), log };
    if (error.kind === 'network') return { status: 'echec', detail: unreachableDetail(host), log };
    if (error.status !== null) {
      return { status: 'echec', detail: `API Entreprise a répondu par une erreur (code ${error.status}) : ${error.userMessage}`, log };
    }
    return { status: 'echec', detail: error.userMessage, log };
  }
  if (errorName(error) === 'AbortError' || errorName(error) === 'TimeoutError') return { status: 'echec', detail: timeoutDetail('api', null), log };
  return { status: 'echec', detail: unreachableDetail(host), log };
}

function unreachableDetail(host: string): string {
  return `API Entreprise ne répond pas : la connexion vers ${host} a été coupée. Vérifiez le réseau ; si le reste d’Internet fonctionne, ${lowerFirst(IT_SERVICE)} : le pare-feu ou le proxy doit laisser passer ${host}.`;
}

function timeoutDetail(id: ConnectionStepId, ms: number | null): string {
  const wait = ms === null ? '' : ` en ${Math.round(ms / 1000)} secondes`;
  switch (id) {
    case 'proxy':
      return `Le poste n’a pas indiqué son proxy${wait} (script de configuration du proxy injoignable ?). ${IT_SERVICE}.`;
    case 'dns':
      return `La recherche de l’adresse du service n’a pas abouti${wait} : le réseau est très lent ou coupé. Réessayez ; si cela se répète, ${lowerFirst(IT_SERVICE)}.`;
    case 'tls':
      return `La connexion sécurisée n’a pas abouti${wait} : un pare-feu bloque sans doute le passage. ${IT_SERVICE}.`;
    case 'api':
      return `API Entreprise n’a pas répondu à temps${wait}. Réessayez dans quelques minutes ; si cela se répète, ${lowerFirst(IT_SERVICE)}.`;
  }
}

function unexpectedDetail(id: ConnectionStepId): string {
  return `Cette vérification n’a pas pu se faire (${CONNECTION_STEP_LABELS[id].toLowerCase()}). Le détail est dans le journal de Vigie.`;
}

function notTestedBecause(blockedBy: ConnectionStepId): string {
  return `Non testé : l’étape ${quote(CONNECTION_STEP_LABELS[blockedBy])} a échoué, corrigez-la d’abord.`;
}

/** Runs `body` with an AbortSignal that fires after `ms` on the given clock. */
async function withTimeout<T>(clock: Clock, ms: number, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let cancel: () => void = () => {};
  const timeout = new Promise<never>((_resolve, reject) => {
    cancel = clock.setTimer(() => {
      const error = new StepTimeout(ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([body(controller.signal), timeout]);
  } finally {
    cancel();
  }
}

function isJsonApiErrors(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || !('errors' in json)) return false;
  const errors = (json as { errors: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0;
}

function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function errorName(error: unknown): string | null {
  return error instanceof Error ? error.name : null;
}

/** The error as English text for the log: class, code and message (an ApiEntrepriseError's message never holds the token). */
function englishError(error: unknown): string {
  if (error instanceof ApiEntrepriseError) return `${error.kind}${error.status === null ? '' : ` ${error.status}`}: ${error.message}`;
  if (error instanceof Error) {
    const code = errorCode(error);
    const cause = error.cause instanceof Error ? ` (cause: ${englishError(error.cause)})` : '';
    return `${error.name}${code ? ` ${code}` : ''}: ${error.message}${cause}`.slice(0, 500);
  }
  return String(error).slice(0, 200);
}

function quote(text: string): string {
  return `«\u00a0${text}\u00a0»`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
