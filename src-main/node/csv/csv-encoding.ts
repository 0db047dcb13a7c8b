import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'windows-1252';

/**
 * Reads the file once, in chunks, and says whether it is valid UTF-8. Accounting software on
 * Windows still writes Windows-1252; a single invalid byte sequence anywhere means the file is
 * not UTF-8, so the whole file is scanned before a single row is decoded.
 */
export async function detectEncoding(filePath: string): Promise<CsvEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof TypeError) return 'windows-1252';
    throw error;
  }
}

/**
 * The file as a stream of text. iconv-lite rather than TextDecoder: Node 20's 'windows-1252'
 * decodes 0x80 as U+0080 instead of the euro sign. A UTF-8 byte order mark is dropped.
 */
export function openDecodedText(filePath: string, encoding: CsvEncoding): NodeJS.ReadableStream {
  const source = createReadStream(filePath, { highWaterMark: 256 * 1024 });
  const decoder = iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'win1252', { stripBOM: true });
  source.on('error', (error) => decoder.emit('error', error));
  return source.pipe(decoder);
}
