import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';

/** What the file turned out to be; `mixed` when some lines were UTF-8 and others Windows-1252. */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'mixed' | 'utf-16';

type ByteOrderMark = 'utf-16le' | 'utf-16be' | null;

/** Excel's « Texte Unicode » is UTF-16 with a byte order mark; nothing else is guessed as UTF-16. */
export async function readByteOrderMark(filePath: string): Promise<ByteOrderMark> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    if (bytesRead < 2) return null;
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
    if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * Decodes line by line: a line that is valid UTF-8 is read as UTF-8, any other as Windows-1252.
 * Accounting exports are one or the other, but files patched by hand mix both; deciding per line
 * gets every accent right either way. iconv-lite, not TextDecoder, for Windows-1252: Node 20's
 * decoder maps 0x80 to U+0080 instead of the euro sign.
 */
export class LineDecoder {
  private readonly strict = new TextDecoder('utf-8', { fatal: true });
  utf8Lines = 0;
  windows1252Lines = 0;
  private first = true;

  decode(line: Buffer): string {
    let bytes = line;
    if (this.first) {
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (!bytes.some((b) => b >= 0x80)) return bytes.toString('latin1');
    try {
      const text = this.strict.decode(bytes);
      this.utf8Lines += 1;
      return text;
    } catch {
      this.windows1252Lines += 1;
      return iconv.decode(bytes, 'win1252');
    }
  }

  /** Decodes a whole buffer (the sample used to guess the delimiter). */
  decodeAll(buffer: Buffer): string {
    const parts: string[] = [];
    let start = 0;
    for (let i = buffer.indexOf(0x0a); i !== -1; i = buffer.indexOf(0x0a, start)) {
      parts.push(this.decode(buffer.subarray(start, i + 1)));
      start = i + 1;
    }
    if (start < buffer.length) parts.push(this.decode(buffer.subarray(start)));
    return parts.join('');
  }

  encoding(): CsvEncoding {
    if (this.windows1252Lines > 0 && this.utf8Lines > 0) return 'mixed';
    return this.windows1252Lines > 0 ? 'windows-1252' : 'utf-8';
  }
}

/** A stream of text from the file's bytes, split on line feeds so that each line is decoded on its own. */
class LineDecodingStream extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly decoder: LineDecoder) {
    super({ readableObjectMode: false, decodeStrings: true });
    this.setEncoding('utf8');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const last = data.lastIndexOf(0x0a);
    if (last === -1) {
      this.pending = data;
      callback();
      return;
    }
    this.pending = Buffer.from(data.subarray(last + 1));
    callback(null, this.decoder.decodeAll(data.subarray(0, last + 1)));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.pending.length > 0 ? this.decoder.decodeAll(this.pending) : '');
  }
}

export interface DecodedText {
  stream: NodeJS.ReadableStream;
  /** Known once the stream has ended. */
  encoding(): CsvEncoding;
}

export function openDecodedText(filePath: string, bom: ByteOrderMark): DecodedText {
  const source = createReadStream(filePath, { highWaterMark: 256 * 1024 });
  if (bom !== null) {
    const decoder = iconv.decodeStream(bom, { stripBOM: true });
    source.on('error', (error) => decoder.emit('error', error));
    return { stream: source.pipe(decoder), encoding: () => 'utf-16' };
  }
  const lines = new LineDecoder();
  const stream = new LineDecodingStream(lines);
  source.on('error', (error) => stream.destroy(error));
  return { stream: source.pipe(stream), encoding: () => lines.encoding() };
}

/** The first bytes as text, decoded like the whole file will be. */
export function decodeSample(bytes: Buffer, bom: ByteOrderMark): string {
  if (bom !== null) return iconv.decode(bytes, bom, { stripBOM: true });
  return new LineDecoder().decodeAll(bytes);
}
