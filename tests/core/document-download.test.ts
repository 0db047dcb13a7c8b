// Document downloads against a real HTTP server on 127.0.0.1, through Node's own fetch: every
// case ends with a typed error or a stored document, and never with a half-written file.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiEntrepriseError, type ApiErrorKind } from '../../src-main/node/api-entreprise/api-error';
import type { Logger } from '../../src-main/node/logger';
import {
  DEFAULT_MAX_DOCUMENT_BYTES,
  documentUrlExpiresAt,
  downloadDocument,
  redactUrl,
  type DocumentTransport,
  type DownloadDocumentOptions,
} from '../../src-main/node/documents/document-download';
import { DocumentStore, nodeStoreFs, type DocumentStoreFs } from '../../src-main/node/documents/document-store';

const SECRET = 'X-Amz-Signature=5ecret5ignature0f7h3ur1&X-Amz-Credential=AKIAVIGIE%2F20250101';

async function makePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

/** A ZIP with one stored (uncompressed) entry. */
function makeZip(name: string, content: Buffer): Buffer {
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc32(content), 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const directoryOffset = local.length + nameBytes.length + content.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return Buffer.concat([local, nameBytes, content, central, nameBytes, end]);
}

let pdf: Buffer;
let otherPdf: Buffer;
let zip: Buffer;
let server: Server;
let base: string;
/** Headers of every request the server received, by path. */
const received: { path: string; headers: IncomingHttpHeaders }[] = [];
/** Whether the server saw the client go away before the whole body was sent. */
const clientLeft = new Set<string>();

function pump(res: ServerResponse, path: string, chunk: Buffer, times: number): void {
  let sent = 0;
  const next = () => {
    while (sent < times) {
      sent++;
      if (!res.write(chunk)) return void res.once('drain', next);
    }
    res.end();
  };
  res.on('close', () => {
    if (sent < times) clientLeft.add(path);
  });
  next();
}

const routes: Record<string, (res: ServerResponse, path: string) => void> = {
  '/good.pdf': (res) => res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(pdf),
  '/other.pdf': (res) => res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(otherPdf),
  '/octet-stream.pdf': (res) => res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(pdf),
  '/truncated.pdf': (res) => res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(pdf.subarray(0, Math.floor(pdf.length / 2))),
  '/login.html': (res) =>
    res
      .writeHead(200, { 'Content-Type': 'application/pdf' })
      .end('<!DOCTYPE html><html><head><title>Connexion</title></head><body>Session expirée</body></html>'),
  '/empty.pdf': (res) => res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(),
  '/archive.zip': (res) => res.writeHead(200, { 'Content-Type': 'application/zip' }).end(zip),
  // 4 MiB in 64 KiB chunks, chunked encoding: no Content-Length at all
  '/huge-chunked': (res, path) => {
    res.writeHead(200, { 'Content-Type': 'application/pdf' });
    pump(res, path, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(65_536 - 9, 0x20)]), 64);
  },
  '/huge-announced': (res, path) => {
    res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': String(50 * 1024 * 1024) });
    pump(res, path, Buffer.alloc(65_536, 0x20), 800);
  },
  // announces a small body, sends a much bigger one: the client reads what was announced
  '/lying-length': (res, path) => {
    res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': '1000' });
    pump(res, path, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(65_536, 0x20)]), 32);
  },
  '/slow-body': (res) => {
    res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.length) });
    res.write(pdf.subarray(0, 100));
    const timer = setTimeout(() => res.end(pdf.subarray(100)), 5_000);
    res.on('close', () => clearTimeout(timer));
  },
  // a trickle: each chunk well within any per-read timeout, the whole well past the deadline
  '/trickle': (res) => {
    res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.length) });
    let at = 0;
    const timer = setInterval(() => {
      res.write(pdf.subarray(at, at + 10));
      at += 10;
      if (at >= pdf.length) {
        clearInterval(timer);
        res.end();
      }
    }, 40);
    res.on('close', () => clearInterval(timer));
  },
  '/no-headers': (res) => {
    const timer = setTimeout(() => res.writeHead(200).end(pdf), 5_000);
    res.on('close', () => clearTimeout(timer));
  },
  '/reset': (res) => {
    res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.length) });
    res.write(pdf.subarray(0, 200), () => setTimeout(() => res.socket?.destroy(), 20));
  },
  '/403': (res) => res.writeHead(403, { 'Content-Type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>'),
  '/404': (res) => res.writeHead(404).end('Not Found'),
  '/410': (res) => res.writeHead(410).end('Gone'),
  '/429': (res) => res.writeHead(429, { 'Retry-After': '30' }).end(),
  '/503': (res) => res.writeHead(503).end('Service Unavailable'),
  '/302': (res) => res.writeHead(302, { Location: `/good.pdf?${SECRET}` }).end(),
};

beforeAll(async () => {
  [pdf, otherPdf] = await Promise.all([makePdf('Attestation de vigilance'), makePdf('Attestation fiscale')]);
  zip = makeZip('attestation.pdf', pdf);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    received.push({ path, headers: req.headers });
    const route = routes[path];
    if (route) route(res, path);
    else res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let folder: string;
let store: DocumentStore;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'vigie-download-'));
  store = new DocumentStore({ root: join(folder, 'documents') });
  received.length = 0;
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Every file in the store folder, temporary ones included. */
function storeFiles(): string[] {
  const root = join(folder, 'documents');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((entry) => entry.split('\\').join('/'))
    .filter((entry) => statSync(join(root, entry)).isFile())
    .sort();
}

const fetchTransport: DocumentTransport = (url, init) => fetch(url, init);
const NOW = 1_750_000_000_000;

function options(path: string, extra: Partial<DownloadDocumentOptions> = {}): DownloadDocumentOptions {
  return {
    url: `${base}${path}?${SECRET}`,
    expiresAt: NOW + 86_400_000,
    accept: ['application/pdf'],
    transport: fetchTransport,
    store,
    now: () => NOW,
    timeoutMs: 2_000,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>, kind: ApiErrorKind): Promise<ApiEntrepriseError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ApiEntrepriseError);
  const error = caught as ApiEntrepriseError;
  expect(error.kind).toBe(kind);
  // the signature of a pre-signed URL never leaks, however the error is printed
  for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error), error.userMessage]) {
    expect(text).not.toContain('5ecret5ignature');
    expect(text).not.toContain('AKIAVIGIE');
    expect(text).not.toContain('?');
  }
  // nothing half-written, ever
  expect(storeFiles().filter((f) => !/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.(pdf|zip)$/.test(f))).toEqual([]);
  return error;
}

describe('a good document', () => {
  it('downloads, checks and stores a PDF, without sending any token', async () => {
    const doc = await downloadDocument(options('/good.pdf'));
    expect(doc).toMatchObject({ mediaType: 'application/pdf', sizeBytes: pdf.length, alreadyStored: false, source: `${base}/good.pdf` });
    expect(storeFiles()).toEqual([doc.storedPath]);
    expect(readFileSync(join(folder, 'documents', doc.storedPath))).toEqual(pdf);
    expect(Buffer.from(await store.read(doc.storedPath))).toEqual(pdf);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers.authorization).toBeUndefined();
    expect(received[0]?.headers.cookie).toBeUndefined();
    expect(Object.keys(received[0]?.headers ?? {}).join(' ')).not.toMatch(/token|authorization|api-key/i);
  });

  it('trusts the bytes, not the Content-Type', async () => {
    const doc = await downloadDocument(options('/octet-stream.pdf'));
    expect(doc.mediaType).toBe('application/pdf');
  });

  it('deduplicates: the same PDF twice gives one file and the same stored path', async () => {
    const first = await downloadDocument(options('/good.pdf'));
    const second = await downloadDocument(options('/good.pdf'));
    expect(second).toEqual({ ...first, alreadyStored: true });
    const other = await downloadDocument(options('/other.pdf'));
    expect(other.storedPath).not.toBe(first.storedPath);
    expect(storeFiles()).toEqual([first.storedPath, other.storedPath].sort());
  });

  it('stores a ZIP when the endpoint delivers ZIPs, refuses it otherwise', async () => {
    const refused = await failure(downloadDocument(options('/archive.zip')), 'document_invalid');
    expect(refused.message).toContain('application/zip');
    expect(storeFiles()).toEqual([]);
    const doc = await downloadDocument(options('/archive.zip', { accept: ['application/pdf', 'application/zip'] }));
    expect(doc.mediaType).toBe('application/zip');
    expect(doc.storedPath).toMatch(/\.zip$/);
    expect(storeFiles()).toEqual([doc.storedPath]);
  });

  it('follows a redirect of the document host, still without a token', async () => {
    const doc = await downloadDocument(options('/302'));
    expect(doc.sizeBytes).toBe(pdf.length);
    expect(received.map((r) => r.path)).toEqual(['/302', '/good.pdf']);
    expect(received.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('refuses a document whose redirect ended on a plain-http host', async () => {
    const redirected: DocumentTransport = async () => {
      const response = new Response(new Uint8Array(pdf), { status: 200, headers: { 'Content-Type': 'application/pdf' } });
      Object.defineProperty(response, 'redirected', { value: true });
      Object.defineProperty(response, 'url', { value: 'http://documents.example.org/x.pdf' });
      return response;
    };
    await failure(downloadDocument(options('/good.pdf', { transport: redirected })), 'malformed_response');
    expect(storeFiles()).toEqual([]);
  });

  it('logs the origin and path only', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      info: (message, fields) => lines.push(JSON.stringify({ message, ...fields })),
      warn: (message, fields) => lines.push(JSON.stringify({ message, ...fields })),
      error: (message, fields) => lines.push(JSON.stringify({ message, ...fields })),
    };
    await downloadDocument(options('/good.pdf', { logger }));
    await downloadDocument(options('/404', { logger })).catch(() => undefined);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain(`${base}/good.pdf`);
    expect(lines.join('\n')).not.toContain('5ecret5ignature');
  });
});

describe('what is not the expected document', () => {
  it('refuses a truncated PDF', async () => {
    const error = await failure(downloadDocument(options('/truncated.pdf')), 'document_invalid');
    expect(error.message).toContain('truncated');
    expect(storeFiles()).toEqual([]);
  });

  it('refuses an HTML page served with 200 and a PDF Content-Type', async () => {
    const error = await failure(downloadDocument(options('/login.html')), 'document_invalid');
    expect(error.message).toContain('HTML');
    expect(error.message).not.toContain('Session');
    expect(storeFiles()).toEqual([]);
  });

  it('refuses an empty body', async () => {
    await failure(downloadDocument(options('/empty.pdf')), 'document_invalid');
  });
});

describe('size limits', () => {
  it('stops a huge body without Content-Length once past maxBytes', async () => {
    const error = await failure(downloadDocument(options('/huge-chunked', { maxBytes: 256 * 1024 })), 'document_too_large');
    expect(error.message).toContain(String(256 * 1024));
    expect(storeFiles()).toEqual([]);
    await expect.poll(() => clientLeft.has('/huge-chunked')).toBe(true);
  });

  it('refuses a body announced larger than maxBytes before reading it', async () => {
    const error = await failure(downloadDocument(options('/huge-announced')), 'document_too_large');
    expect(error.message).toContain('announced');
    expect(DEFAULT_MAX_DOCUMENT_BYTES).toBe(20 * 1024 * 1024);
    await expect.poll(() => clientLeft.has('/huge-announced')).toBe(true);
  });

  it('counts the bytes themselves when Content-Length lies low', async () => {
    // a transport (a proxy, Electron's net.fetch) that passes the whole body whatever the header says
    const lying: DocumentTransport = async () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent++;
          controller.enqueue(sent === 1 ? Buffer.from('%PDF-1.7\n') : new Uint8Array(64 * 1024));
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Length': '1000' } });
    };
    await failure(downloadDocument(options('/lying', { transport: lying, maxBytes: 1024 * 1024 })), 'document_too_large');
    expect(storeFiles()).toEqual([]);
  });

  it('ends with a typed error when a real server sends more than its Content-Length', async () => {
    const error = await failure(downloadDocument(options('/lying-length')), 'document_invalid');
    expect(error.message).toContain('1000 bytes');
    expect(storeFiles()).toEqual([]);
  });
});

describe('time limits and broken connections', () => {
  it('times out on a body that stalls after the headers', async () => {
    const started = Date.now();
    const error = await failure(downloadDocument(options('/slow-body', { timeoutMs: 300 })), 'timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('300 ms');
    expect(storeFiles()).toEqual([]);
  });

  it('the deadline covers the whole body, not each chunk', async () => {
    await failure(downloadDocument(options('/trickle', { timeoutMs: 400 })), 'timeout');
  });

  it('times out when no headers come', async () => {
    await failure(downloadDocument(options('/no-headers', { timeoutMs: 300 })), 'timeout');
  });

  it('times out even with a transport that ignores the abort signal', async () => {
    const deaf: DocumentTransport = () => new Promise<Response>(() => undefined);
    await failure(downloadDocument(options('/deaf', { transport: deaf, timeoutMs: 100 })), 'timeout');
  });

  it('a connection destroyed mid-body is a network error', async () => {
    const error = await failure(downloadDocument(options('/reset')), 'network');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('while receiving the body');
    expect(storeFiles()).toEqual([]);
  });

  it('a refused connection is a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(downloadDocument(options('/x', { url: `http://127.0.0.1:${port}/x.pdf?${SECRET}` })), 'network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('the caller can cancel: its reason is thrown and nothing is stored', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(downloadDocument(options('/slow-body', { signal: controller.signal }))).rejects.toBe(reason);
    await expect(downloadDocument(options('/good.pdf', { signal: controller.signal }))).rejects.toBe(reason);
    expect(storeFiles()).toEqual([]);
  });
});

describe('expired links', () => {
  it('does not request a URL already expired', async () => {
    let calls = 0;
    const counting: DocumentTransport = (url, init) => {
      calls++;
      return fetch(url, init);
    };
    const error = await failure(
      downloadDocument(options('/good.pdf', { transport: counting, expiresAt: NOW - 5_000 })),
      'document_expired',
    );
    expect(error.message).toContain('5 s ago');
    await failure(downloadDocument(options('/good.pdf', { transport: counting, expiresAt: NOW })), 'document_expired');
    expect(calls).toBe(0);
    expect(received).toEqual([]);
  });

  it('computes the expiry from the arrival of the JSON answer (ten minutes for CIBTP)', async () => {
    const arrived = NOW - 9 * 60_000;
    const doc = await downloadDocument(options('/good.pdf', { expiresAt: documentUrlExpiresAt(arrived, 600) }));
    expect(doc.mediaType).toBe('application/pdf');
    await failure(
      downloadDocument(options('/good.pdf', { expiresAt: documentUrlExpiresAt(NOW - 11 * 60_000, 600) })),
      'document_expired',
    );
  });

  it.each([403, 404, 410])('maps %i from the document host to document_expired', async (status) => {
    const error = await failure(downloadDocument(options(`/${status}`)), 'document_expired');
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(storeFiles()).toEqual([]);
  });

  it('maps 429 and 503 to their retryable kinds', async () => {
    const limited = await failure(downloadDocument(options('/429')), 'rate_limited');
    expect(limited.retryAfterMs).toBe(30_000);
    const unavailable = await failure(downloadDocument(options('/503')), 'provider_unavailable');
    expect(unavailable.retryable).toBe(true);
  });
});

describe('URLs', () => {
  it('refuses a URL that is not https (except the local fake API), or carries credentials, before any request', async () => {
    let calls = 0;
    const counting: DocumentTransport = () => {
      calls++;
      return Promise.reject(new Error('must not be called'));
    };
    await failure(downloadDocument(options('/x', { transport: counting, url: `http://example.org/a.pdf?${SECRET}` })), 'malformed_response');
    await failure(downloadDocument(options('/x', { transport: counting, url: `https://user:pw@example.org/a.pdf?${SECRET}` })), 'malformed_response');
    await failure(downloadDocument(options('/x', { transport: counting, url: `not a url ${SECRET}` })), 'malformed_response');
    expect(calls).toBe(0);
  });

  it('redacts URLs to their origin and path', () => {
    expect(redactUrl(`https://storage.entreprise.api.gouv.fr/siade/1/attestation.pdf?${SECRET}#frag`)).toBe(
      'https://storage.entreprise.api.gouv.fr/siade/1/attestation.pdf',
    );
    expect(redactUrl(`nonsense ${SECRET}`)).toBe('(invalid URL)');
  });
});

describe('the disk', () => {
  it('a full disk keeps the previous document intact and readable, and leaves no temporary file', async () => {
    const previous = await downloadDocument(options('/good.pdf'));
    const full: DocumentStoreFs = {
      ...nodeStoreFs,
      async open(path, flags, mode) {
        const real = await nodeStoreFs.open(path, flags, mode);
        if (flags !== 'wx') return real;
        return {
          write: async (buffer, offset, length, position) => {
            if (offset > 0) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
            return real.write(buffer, offset, Math.min(length, 512), position);
          },
          sync: () => real.sync(),
          close: () => real.close(),
        };
      },
    };
    const fullStore = new DocumentStore({ root: join(folder, 'documents'), fs: full });
    const error = await failure(downloadDocument(options('/other.pdf', { store: fullStore })), 'document_storage');
    expect(error).toMatchObject({ reason: 'disk_full', errno: 'ENOSPC' });
    expect(storeFiles()).toEqual([previous.storedPath]);
    expect(Buffer.from(await store.read(previous.storedPath))).toEqual(pdf);
  });

  it('a store that fails with something else than a store error still gives document_storage', async () => {
    const broken = { put: () => Promise.reject(new Error('boom')) };
    await failure(downloadDocument(options('/good.pdf', { store: broken })), 'document_storage');
  });
});
