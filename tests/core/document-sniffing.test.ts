import { crc32 } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiEntrepriseError } from '../../src-main/node/api-entreprise/api-error';
import { requireDocument, sniffDocument } from '../../src-main/node/documents/document-sniffing';

async function makePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

/** A ZIP with stored (uncompressed) entries, as a document host would serve. */
function makeZip(files: Record<string, string>, comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, directory, end, commentBytes]);
}

let pdf: Buffer;
beforeAll(async () => {
  pdf = await makePdf('Attestation de vigilance');
});

describe('PDF', () => {
  it('recognizes a PDF made by pdf-lib', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sniffDocument(pdf)).toEqual({ ok: true, mediaType: 'application/pdf' });
  });

  it('accepts junk before the header within the first 1024 bytes, and whitespace after %%EOF', () => {
    expect(sniffDocument(Buffer.concat([Buffer.alloc(1000, 0x20), pdf]))).toMatchObject({ ok: true });
    expect(sniffDocument(Buffer.concat([pdf, Buffer.from('\r\n\r\n')]))).toMatchObject({ ok: true });
  });

  it('refuses a header found past the first 1024 bytes', () => {
    expect(sniffDocument(Buffer.concat([Buffer.alloc(1030, 0x20), pdf]))).toMatchObject({ ok: false });
  });

  it('refuses a PDF cut short anywhere (no %%EOF near the end)', () => {
    for (const fraction of [0.1, 0.5, 0.9]) {
      const cut = pdf.subarray(0, Math.floor(pdf.length * fraction));
      expect(sniffDocument(cut)).toMatchObject({ ok: false, looksLike: 'truncated_pdf' });
    }
    expect(sniffDocument(pdf.subarray(0, pdf.length - 6))).toMatchObject({ ok: false, looksLike: 'truncated_pdf' });
  });

  it('refuses a %PDF- header without a version', () => {
    expect(sniffDocument(Buffer.from('%PDF-x\n%%EOF\n'))).toMatchObject({ ok: false });
  });
});

describe('ZIP', () => {
  it('recognizes a ZIP archive, with or without a comment', () => {
    expect(sniffDocument(makeZip({ 'a.pdf': '%PDF-1.7 ...', 'b.txt': 'hello' }))).toEqual({ ok: true, mediaType: 'application/zip' });
    expect(sniffDocument(makeZip({ 'a.txt': 'x' }, 'généré par le fournisseur'))).toMatchObject({ ok: true });
  });

  it('refuses a ZIP cut short, an empty archive, and an end record pointing nowhere', () => {
    const zip = makeZip({ 'a.pdf': 'x'.repeat(500) });
    expect(sniffDocument(zip.subarray(0, zip.length - 10))).toMatchObject({ ok: false, looksLike: 'broken_zip' });
    expect(sniffDocument(zip.subarray(0, 200))).toMatchObject({ ok: false, looksLike: 'broken_zip' });
    const empty = makeZip({});
    // an empty archive has no local header at all: it is not taken for a ZIP
    expect(sniffDocument(empty)).toMatchObject({ ok: false });
    const pointingNowhere = Buffer.from(zip);
    pointingNowhere.writeUInt32LE(3, pointingNowhere.length - 22 + 16);
    expect(sniffDocument(pointingNowhere)).toMatchObject({ ok: false, looksLike: 'broken_zip' });
  });

  it('refuses a ZIP whose end record claims a comment longer than what follows', () => {
    const zip = makeZip({ 'a.txt': 'x' });
    zip.writeUInt16LE(40, zip.length - 2);
    expect(sniffDocument(zip)).toMatchObject({ ok: false, looksLike: 'broken_zip' });
  });
});

describe('what is not a document', () => {
  it('refuses an HTML page, whatever its Content-Type said', () => {
    const html = Buffer.from('\ufeff  <!DOCTYPE html><html><head><title>Lien expiré</title></head><body>%PDF-</body></html>');
    expect(sniffDocument(html)).toMatchObject({ ok: false, looksLike: 'html' });
    expect(sniffDocument(Buffer.from('<html><body>Accès refusé</body></html>'))).toMatchObject({ ok: false, looksLike: 'html' });
  });

  it('refuses JSON, an empty body and random bytes', () => {
    expect(sniffDocument(Buffer.from('{"errors":[{"code":"00404"}]}'))).toMatchObject({ ok: false, looksLike: 'json' });
    expect(sniffDocument(Buffer.alloc(0))).toMatchObject({ ok: false, looksLike: 'empty' });
    expect(sniffDocument(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatchObject({ ok: false, looksLike: 'unknown' });
  });
});

describe('requireDocument', () => {
  it('returns the media type found in the bytes when it is accepted', () => {
    expect(requireDocument(pdf, ['application/pdf'])).toBe('application/pdf');
    expect(requireDocument(makeZip({ 'a.txt': 'x' }), ['application/pdf', 'application/zip'])).toBe('application/zip');
  });

  it('throws document_invalid for a ZIP where only a PDF is accepted, and for a non-document', () => {
    const zipError = (() => {
      try {
        requireDocument(makeZip({ 'a.txt': 'x' }), ['application/pdf'], { endpoint: 'urssaf.attestation_vigilance' });
      } catch (error) {
        return error;
      }
    })();
    expect(zipError).toBeInstanceOf(ApiEntrepriseError);
    expect(zipError).toMatchObject({ kind: 'document_invalid', endpoint: 'urssaf.attestation_vigilance', retryable: true });
    expect((zipError as Error).message).toContain('application/zip');
    expect(() => requireDocument(Buffer.from('<html></html>'), ['application/pdf'])).toThrow(/HTML page/);
  });

  it('never puts the received bytes into the error', () => {
    try {
      requireDocument(Buffer.from('<html><body>secret-session-id=abc123</body></html>'), ['application/pdf']);
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('abc123');
      expect((error as Error).message).not.toContain('abc123');
    }
  });
});
