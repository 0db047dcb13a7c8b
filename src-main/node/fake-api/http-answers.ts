// Writing answers on the wire, including the broken ones the fault injector asks for: an HTML page
// with status 200, JSON cut short, a connection reset in the middle of the body, a huge body.
import type { ServerResponse } from 'node:http';

export type HeaderMap = Record<string, string>;

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderMap = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': String(payload.length) });
  res.end(payload);
}

export function sendBytes(res: ServerResponse, status: number, contentType: string, bytes: Uint8Array, headers: HeaderMap = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: HeaderMap = {}): void {
  sendBytes(res, status, 'text/plain; charset=utf-8', Buffer.from(text), headers);
}

/** What a proxy or a maintenance page sends: HTML, with a 200 that a naive client would trust. */
export const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Service indisponible</title></head>
<body><h1>Service momentanément indisponible</h1>
<p>Le service est en cours de maintenance. Merci de réessayer ultérieurement.</p></body></html>
`;

export function sendHtmlErrorPage(res: ServerResponse): void {
  sendBytes(res, 200, 'text/html; charset=utf-8', Buffer.from(HTML_ERROR_PAGE));
}

/** A JSON body cut in the middle, with a Content-Length that matches what is sent. */
export function sendMalformedJson(res: ServerResponse, body: unknown, headers: HeaderMap): void {
  const full = JSON.stringify(body);
  const cut = full.slice(0, Math.max(1, Math.floor(full.length * 0.6)));
  sendBytes(res, 200, JSON_TYPE, Buffer.from(cut), headers);
}

/** A PDF cut in half: announced and sent complete at the HTTP level, broken as a file. */
export function sendTruncatedPdf(res: ServerResponse, pdf: Uint8Array): void {
  sendBytes(res, 200, 'application/pdf', pdf.subarray(0, Math.max(8, Math.floor(pdf.length / 2))));
}

/** Announces the full length, sends a part, then resets the connection. */
export function sendThenReset(res: ServerResponse, contentType: string, bytes: Uint8Array, headers: HeaderMap = {}): void {
  res.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
  const part = bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 3)));
  res.write(part, () => {
    // let the partial body reach the client before the reset
    setImmediate(() => res.socket?.resetAndDestroy());
  });
}

/** A valid but enormous answer, streamed without Content-Length: the client must cap what it reads. */
export async function sendHugeBody(
  res: ServerResponse,
  kind: 'json' | 'pdf',
  totalBytes: number,
  headers: HeaderMap = {},
): Promise<void> {
  res.writeHead(200, { ...headers, 'Content-Type': kind === 'json' ? JSON_TYPE : 'application/pdf' });
  const head = kind === 'json' ? '{"data":{"padding":"' : '%PDF-1.7\n%';
  const tail = kind === 'json' ? '"},"links":{},"meta":{}}' : '\n%%EOF\n';
  const chunk = Buffer.alloc(64 * 1024, kind === 'json' ? 'x' : ' ');
  let sent = 0;
  const write = (data: Buffer | string): Promise<boolean> =>
    new Promise((resolve) => {
      if (res.destroyed) return resolve(false);
      if (res.write(data)) return resolve(true);
      const onDrain = (): void => {
        res.off('close', onClose);
        resolve(true);
      };
      const onClose = (): void => {
        res.off('drain', onDrain);
        resolve(false);
      };
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
  if (!(await write(head))) return;
  while (sent < totalBytes) {
    const size = Math.min(chunk.length, totalBytes - sent);
    if (!(await write(size === chunk.length ? chunk : chunk.subarray(0, size)))) return;
    sent += size;
  }
  if (!res.destroyed) res.end(tail);
}
