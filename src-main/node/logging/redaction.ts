// The last line of defence between a secret and a log file. Code is written never to log the
// API token, but a log line also carries what others wrote: a transport error quoting a header, a
// URL with a `token=` parameter a user pasted, an object dumped whole. Every line written by the
// rotating log goes through here first, so that a mistake elsewhere does not end on disk, in a
// support e-mail or in a backup of the user-data folder.

export const REDACTED = '[redacted]';

/** Shorter strings are too common to be replaced everywhere (a 4-digit secret would eat dates). */
export const MIN_SECRET_LENGTH = 8;

/** Deeper than this, an object is summarised: log fields are meant to be small and flat. */
const MAX_DEPTH = 8;
const MAX_ARRAY_ITEMS = 100;
const MAX_OBJECT_KEYS = 200;
/** A longer string is cut (after redaction, so that a cut never exposes half a secret). */
export const MAX_STRING_LENGTH = 16 * 1024;

// A JWT (API Entreprise tokens are JWTs): base64url `{"` header, payload, optional signature
// (`[\w-]` is the base64url alphabet). Matched even glued to a preceding word (`tokeneyJ…`): a
// false positive costs a word in a log, a miss costs the token.
const JWT = /eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*(?:\.[\w-]*){0,2}/g;
// `Authorization: Bearer x`, `authorization=x`, `"Authorization":"Basic x"` (quotes optional).
const AUTHORIZATION = /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token|digest)\s+)?[^\s"',;&]+/gi;
// A bare `Bearer x` anywhere else (an error message quoting a header value).
const BEARER = /\b(bearer\s+)[^\s"',;&]+/gi;
// key=value pairs of a query string, a form body or a command line: `?token=x`, `&api_key=x`, `password=x`.
const SECRET_PARAMETER =
  /((?:^|[?&;\s,{(])["']?(?:[a-z0-9_.-]*(?:token|secret|password|passwd|jwt|api[_-]?key|apikey|session|cookie|signature))["']?\s*=\s*)("[^"]*"|'[^']*'|[^&\s"',;)}#]+)/gi;
// `"token": "x"` inside a string that holds JSON (a raw answer body quoted in an error).
const SECRET_JSON_MEMBER =
  /("(?:[a-z0-9_.-]*(?:token|secret|password|passwd|jwt|authorization|api[_-]?key|apikey|cookie))"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// Pre-signed document links carry their signature in the query: `X-Amz-Signature=...` is caught by
// SECRET_PARAMETER (`signature`), `X-Amz-Credential` by the line below.
const PRESIGNED_PARAMETER = /((?:^|[?&])x-amz-(?:credential|security-token)=)[^&\s"'#]+/gi;

/** Field names whose value is a secret, whatever their case or separators: `accessToken`, `client_secret`, `X-Api-Key`. */
const SECRET_FIELD = /(token|authorization|password|passwd|secret|jwt|apikey|cookie|credentials?)$/;

function foldFieldName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether a field of that name is masked whole (`token`, `Authorization`, `x-api-key`, `clientSecret`...). */
export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(foldFieldName(name));
}

/**
 * Removes secrets from text and from structured log fields. One instance per process is enough
 * (`sharedRedactor`); tests make their own. Secrets registered at run time (the current API
 * token) are replaced wherever they appear, even in a form no pattern recognises.
 */
export class Redactor {
  private readonly secrets = new Map<string, number>();
  /** Registered secrets and their encoded forms, longest first, so a secret containing another is removed whole. */
  private needles: string[] = [];

  /**
   * Masks `value` wherever it appears from now on; returns a function that forgets it (when the
   * token is replaced, the old one stays registered until the caller says so: a late error
   * quoting it is still masked). Values shorter than MIN_SECRET_LENGTH are ignored.
   */
  registerSecret(value: string): () => void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return () => {};
    this.secrets.set(value, (this.secrets.get(value) ?? 0) + 1);
    this.rebuild();
    let registered = true;
    return () => {
      if (!registered) return;
      registered = false;
      const count = (this.secrets.get(value) ?? 1) - 1;
      if (count <= 0) this.secrets.delete(value);
      else this.secrets.set(value, count);
      this.rebuild();
    };
  }

  clearSecrets(): void {
    this.secrets.clear();
    this.needles = [];
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  /** The text with every secret pattern and registered secret replaced by `[redacted]`. */
  redactText(text: string): string {
    let out = text;
    for (const needle of this.needles) {
      if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    }
    out = out
      .replace(JWT, REDACTED)
      .replace(AUTHORIZATION, `$1${REDACTED}`)
      .replace(BEARER, `$1${REDACTED}`)
      .replace(SECRET_JSON_MEMBER, `$1"${REDACTED}"`)
      .replace(SECRET_PARAMETER, `$1${REDACTED}`)
      .replace(PRESIGNED_PARAMETER, `$1${REDACTED}`);
    return out.length > MAX_STRING_LENGTH ? `${out.slice(0, MAX_STRING_LENGTH)}…[${out.length - MAX_STRING_LENGTH} more characters]` : out;
  }

  /**
   * A copy of `value` safe to serialise: secret fields masked at any depth, every string
   * redacted, errors turned into `{name, message, stack, code, cause}`, binary data summarised,
   * cycles and excessive depth cut. Never throws.
   */
  redactValue(value: unknown): unknown {
    try {
      return this.walk(value, 0, new WeakSet());
    } catch {
      return '[unserialisable value]';
    }
  }

  /** Log fields: the same as redactValue, keeping the record shape. */
  redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
    if (fields === undefined || fields === null) return {};
    const redacted = this.redactValue(fields);
    return typeof redacted === 'object' && redacted !== null && !Array.isArray(redacted)
      ? (redacted as Record<string, unknown>)
      : { fields: redacted };
  }

  private rebuild(): void {
    const forms = new Set<string>();
    for (const secret of this.secrets.keys()) {
      forms.add(secret);
      // the same secret as it appears in a URL or a JSON string
      forms.add(encodeURIComponent(secret));
      forms.add(JSON.stringify(secret).slice(1, -1));
      forms.add(Buffer.from(secret, 'utf8').toString('base64'));
    }
    this.needles = [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  private walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
    switch (typeof value) {
      case 'string':
        return this.redactText(value);
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'bigint':
        return value.toString();
      case 'symbol':
        return value.toString();
      case 'function':
        return `[function ${value.name || 'anonymous'}]`;
      default:
        break;
    }
    if (value === null) return null;
    const object = value as object;
    if (seen.has(object)) return '[circular]';
    if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
    if (object instanceof URL) return this.redactText(object.href);
    if (object instanceof RegExp) return this.redactText(String(object));
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
      // bytes are never logged: a document or a key could be anywhere in them
      return `[${object.byteLength} bytes]`;
    }
    if (depth >= MAX_DEPTH) return Array.isArray(object) ? '[array]' : '[object]';
    seen.add(object);
    try {
      if (object instanceof Error) return this.walkError(object, depth, seen);
      if (Array.isArray(object)) {
        const items = object.slice(0, MAX_ARRAY_ITEMS).map((item) => this.walk(item, depth + 1, seen));
        if (object.length > MAX_ARRAY_ITEMS) items.push(`…(${object.length - MAX_ARRAY_ITEMS} more)`);
        return items;
      }
      if (object instanceof Map) return this.walkEntries([...object.entries()].map(([k, v]) => [String(k), v]), depth, seen);
      if (object instanceof Set) return this.walk([...object], depth, seen);
      if (typeof Headers !== 'undefined' && object instanceof Headers) return this.walkEntries([...object.entries()], depth, seen);
      const toJSON = (object as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        // what the object itself says is safe to serialise (ApiEntrepriseError-like records), still walked
        return this.walk((toJSON as () => unknown).call(object), depth + 1, seen);
      }
      return this.walkEntries(Object.entries(object), depth, seen);
    } finally {
      seen.delete(object);
    }
  }

  private walkEntries(entries: [string, unknown][], depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries.slice(0, MAX_OBJECT_KEYS)) {
      out[this.redactText(key)] = this.maskField(key, item, depth, seen);
    }
    if (entries.length > MAX_OBJECT_KEYS) out['…'] = `${entries.length - MAX_OBJECT_KEYS} more fields`;
    return out;
  }

  private maskField(key: string, item: unknown, depth: number, seen: WeakSet<object>): unknown {
    // a flag or a count under a secret-sounding name (`tokenRefused: true`) says nothing secret
    if (isSecretFieldName(key) && item !== null && item !== undefined && typeof item !== 'boolean') return REDACTED;
    return this.walk(item, depth + 1, seen);
  }

  private walkError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.redactText(error.name), message: this.redactText(error.message) };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    const toJSON = (error as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const own = this.walk((toJSON as () => unknown).call(error), depth + 1, seen);
      if (typeof own === 'object' && own !== null && !Array.isArray(own)) Object.assign(out, own);
    } else {
      // own enumerable properties of a plain error (`errno`, `syscall`, `status`...): they may quote a header too
      for (const [key, item] of Object.entries(error)) {
        if (key === 'cause' || key in out) continue;
        out[this.redactText(key)] = this.maskField(key, item, depth, seen);
      }
    }
    if (typeof error.stack === 'string') out.stack = this.redactText(error.stack);
    if (error.cause !== undefined) out.cause = this.walk(error.cause, depth + 1, seen);
    return out;
  }
}

/** The process's redactor: the app registers the current API token here, and every log uses it. */
export const sharedRedactor = new Redactor();

/** Masks the current API token (or any secret) in everything logged from now on. */
export function registerSecret(value: string): () => void {
  return sharedRedactor.registerSecret(value);
}
