// What a downloaded document really is, from its bytes alone (BRIEF §3: "check it is really a PDF
// (or ZIP)"). The Content-Type of the answer is never trusted: a document host may serve an HTML
// error or login page with 200, or a body cut short by a dropped connection.
import { ApiEntrepriseError } from '../api-entreprise/api-error';
import type { DocumentMediaType, EndpointId } from '../api-entreprise/endpoint-catalogue';

/** Readers (Acrobat included) accept a `%PDF-` header anywhere in the first 1024 bytes. */
export const PDF_HEADER_WINDOW = 1024;
/** ... and look for the last `%%EOF` in the last 1024 bytes: a truncated file has none there. */
export const PDF_TRAILER_WINDOW = 1024;

const EOCD_SIZE = 22;
const MAX_ZIP_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIZE = 20;

export type SniffResult =
  | { ok: true; mediaType: DocumentMediaType }
  | {
      ok: false;
      /** What the bytes look like, for the log: never any of their content. */
      looksLike: 'empty' | 'html' | 'json' | 'truncated_pdf' | 'broken_zip' | 'unknown';
      reason: string;
    };

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const PDF_MAGIC = ascii('%PDF-');
const PDF_EOF = ascii('%%EOF');
const ZIP_LOCAL_HEADER = ascii('PK\x03\x04');

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const last = Math.min(to, haystack.length) - needle.length;
  outer: for (let i = Math.max(0, from); i <= last; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function lastIndexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = haystack.length - needle.length; i >= Math.max(0, from); i--) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const startsWith = (bytes: Uint8Array, prefix: Uint8Array) => indexOf(bytes, prefix, 0, prefix.length) === 0;

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) + u16(bytes, at + 2) * 0x10000) >>> 0;
}

function isSignature(bytes: Uint8Array, at: number, third: number, fourth: number): boolean {
  return bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === third && bytes[at + 3] === fourth;
}

/** `%PDF-` then a version digit in the header window, and `%%EOF` in the trailer window. */
function checkPdf(bytes: Uint8Array): SniffResult | null {
  const header = indexOf(bytes, PDF_MAGIC, 0, PDF_HEADER_WINDOW);
  if (header < 0) return null;
  const version = bytes[header + PDF_MAGIC.length];
  if (version === undefined || version < 0x30 || version > 0x39) {
    return { ok: false, looksLike: 'unknown', reason: 'a %PDF- header without a version number' };
  }
  const eof = lastIndexOf(bytes, PDF_EOF, bytes.length - PDF_TRAILER_WINDOW);
  if (eof < 0 || eof < header) {
    return { ok: false, looksLike: 'truncated_pdf', reason: 'a PDF without an %%EOF marker at its end (truncated)' };
  }
  return { ok: true, mediaType: 'application/pdf' };
}

/**
 * A local file header at the start, then an end-of-central-directory record whose comment ends
 * the file exactly, and a central directory that lies before it and starts where the record
 * says. A ZIP cut short loses its end record, which is all a reader needs to open it.
 */
function checkZip(bytes: Uint8Array): SniffResult | null {
  if (!startsWith(bytes, ZIP_LOCAL_HEADER)) return null;
  const broken = (reason: string): SniffResult => ({ ok: false, looksLike: 'broken_zip', reason });
  const lowest = Math.max(0, bytes.length - EOCD_SIZE - MAX_ZIP_COMMENT);
  for (let at = bytes.length - EOCD_SIZE; at >= lowest; at--) {
    if (!isSignature(bytes, at, 0x05, 0x06)) continue;
    const commentLength = u16(bytes, at + 20);
    if (at + EOCD_SIZE + commentLength !== bytes.length) continue; // a look-alike inside the data or the comment
    const entries = u16(bytes, at + 10);
    const directorySize = u32(bytes, at + 12);
    const directoryOffset = u32(bytes, at + 16);
    if (entries === 0) return broken('an empty ZIP archive');
    if (directoryOffset === 0xffffffff || directorySize === 0xffffffff || entries === 0xffff) {
      // ZIP64: the real numbers are in a ZIP64 record, announced by a locator just before
      const locator = at - ZIP64_LOCATOR_SIZE;
      if (locator >= 0 && isSignature(bytes, locator, 0x06, 0x07)) return { ok: true, mediaType: 'application/zip' };
      return broken('a ZIP64 archive without its ZIP64 locator');
    }
    if (directoryOffset + directorySize > at) return broken('a ZIP central directory that overlaps its end record');
    if (!isSignature(bytes, directoryOffset, 0x01, 0x02)) return broken('a ZIP end record pointing to no central directory');
    return { ok: true, mediaType: 'application/zip' };
  }
  return broken('a ZIP archive without its end-of-central-directory record (truncated)');
}

function looksLike(bytes: Uint8Array): 'html' | 'json' | 'unknown' {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\ufeff/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(!doctype\s+html|html|head|body|\?xml|!--|meta|title|script)\b/.test(head)) return 'html';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  return 'unknown';
}

/** What the bytes are, whatever the answer's Content-Type said. */
export function sniffDocument(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) return { ok: false, looksLike: 'empty', reason: 'an empty body' };
  // a ZIP starts with its first entry, which may well be a PDF: decide on the first bytes
  const found = startsWith(bytes, ZIP_LOCAL_HEADER) ? checkZip(bytes) : checkPdf(bytes);
  if (found?.ok) return found;
  const kind = looksLike(bytes);
  if (kind === 'html') return { ok: false, looksLike: kind, reason: 'an HTML page, not a document' };
  if (kind === 'json') return { ok: false, looksLike: kind, reason: 'a JSON body, not a document' };
  return found ?? { ok: false, looksLike: kind, reason: 'neither a PDF nor a ZIP archive' };
}

/**
 * The media type of the bytes when it is one of `accept`; otherwise an ApiEntrepriseError of kind
 * `document_invalid` whose detail says what was received (never the bytes themselves).
 */
export function requireDocument(
  bytes: Uint8Array,
  accept: readonly DocumentMediaType[],
  context: { endpoint?: EndpointId | null; source?: string } = {},
): DocumentMediaType {
  const result = sniffDocument(bytes);
  const from = context.source ? ` from ${context.source}` : '';
  const fail = (detail: string) =>
    ApiEntrepriseError.local('document_invalid', detail, { endpoint: context.endpoint ?? null });
  if (!result.ok) throw fail(`Document${from} refused: received ${result.reason} (${bytes.length} bytes)`);
  if (!accept.includes(result.mediaType)) {
    throw fail(`Document${from} refused: received ${result.mediaType}, expected ${accept.join(' or ') || 'nothing'}`);
  }
  return result.mediaType;
}
