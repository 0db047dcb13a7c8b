// pdf.js, set up for the app's Content-Security-Policy: its worker is the file Vite bundles
// next to the app (script-src 'self'), nothing is fetched from elsewhere, no eval.
import { GlobalWorkerOptions, getDocument, type PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** base64 (as `documents.read` answers) -> bytes. */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Opens a PDF held in memory. */
export function openPdf(bytes: Uint8Array): PDFDocumentLoadingTask {
  return getDocument({
    data: bytes,
    // no font or colour-profile files to fetch: the system's fonts stand in for the standard ones
    useSystemFonts: true,
    disableFontFace: false,
    enableXfa: false,
  });
}
