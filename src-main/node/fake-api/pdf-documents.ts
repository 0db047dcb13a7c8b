// The PDFs behind the fake API's `document_url`s: one page that names the company, its SIREN, the
// kind of attestation and its dates, and says plainly that it is invented. Rendered with pdf-lib;
// the metadata dates come from the document itself, so the same document gives the same bytes.
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

export interface PdfContent {
  title: string;
  companyName: string;
  siren: string;
  siret: string | null;
  /** Provider that "issued" it, e.g. "URSSAF". */
  issuer: string;
  /** Label/value lines: dates, security code, certification numbers. */
  lines: readonly (readonly [string, string])[];
  /** Epoch milliseconds: the PDF's creation date. */
  issuedAtMs: number;
  documentId: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** The standard fonts only encode WinAnsi: anything else would make pdf-lib throw. */
function encodable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return [...text].map((ch) => (supported.has(ch.codePointAt(0) ?? 0) ? ch : '?')).join('');
}

function formatSiren(siren: string): string {
  return `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6, 9)}`;
}

export async function renderAttestationPdf(content: PdfContent): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(content.issuedAtMs);
  pdf.setTitle(`${content.title} – ${content.companyName}`);
  pdf.setAuthor('Fausse API Entreprise de Vigie');
  pdf.setSubject(`${content.title}, SIREN ${content.siren}`);
  pdf.setProducer('Vigie fake API (pdf-lib)');
  pdf.setCreator('Vigie fake API');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);

  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage(A4);
  const [width, height] = A4;
  let y = height - MARGIN;
  const write = (text: string, font: PDFFont, size: number, color = rgb(0.1, 0.1, 0.1)): void => {
    page.drawText(encodable(font, text), { x: MARGIN, y, size, font, color });
    y -= size * 1.6;
  };

  page.drawRectangle({ x: 0, y: height - 28, width, height: 28, color: rgb(0.0, 0.14, 0.57) });
  page.drawText('DOCUMENT FICTIF – environnement de développement de Vigie', {
    x: MARGIN,
    y: height - 19,
    size: 10,
    font: bold,
    color: rgb(1, 1, 1),
  });
  y -= 24;
  write(content.issuer, bold, 12, rgb(0.0, 0.14, 0.57));
  write(content.title, bold, 20);
  y -= 8;
  write(content.companyName, bold, 14);
  write(`SIREN : ${formatSiren(content.siren)}`, regular, 12);
  if (content.siret) write(`SIRET : ${content.siret}`, regular, 12);
  y -= 8;
  for (const [label, value] of content.lines) write(`${label} : ${value}`, regular, 12);
  y -= 16;
  write(`Identifiant du document : ${content.documentId}`, regular, 9, rgb(0.4, 0.4, 0.4));
  write('Ce document a été généré par la fausse API Entreprise livrée avec Vigie.', regular, 9, rgb(0.4, 0.4, 0.4));
  write('Il ne décrit aucune entreprise réelle et n’a aucune valeur.', regular, 9, rgb(0.4, 0.4, 0.4));
  return pdf.save({ useObjectStreams: false });
}
