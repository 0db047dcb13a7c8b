import { useCallback, useEffect, useRef, useState } from 'react';
import { TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { LiveMessages } from '../ui/LiveMessages';
import { Modal } from '../ui/Modal';
import { base64ToBytes, openPdf } from './pdf';

const MIN_SCALE = 0.5;
const MAX_SCALE = 3;
const SCALE_STEP = 0.25;
/** Resolution of the printed pages (1 = 72 dpi). */
const PRINT_SCALE = 2;

type Zoom = { kind: 'fit' } | { kind: 'fixed'; scale: number };

interface DocumentViewerProps {
  documentId: number;
  /** What the document is, for the dialog's title (« Attestation de vigilance (URSSAF) »). */
  title: string;
  onClose(): void;
}

/**
 * « Visionneuse de documents »: the PDF drawn by pdf.js inside the app (no file opened
 * elsewhere, nothing loaded from the network), with a text layer so that its text can be
 * selected and read, page by page, with zoom, print and « Enregistrer sous ».
 */
export function DocumentViewer({ documentId, title, onClose }: DocumentViewerProps) {
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  const [zoom, setZoom] = useState<Zoom>({ kind: 'fit' });
  const [shownScale, setShownScale] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [printing, setPrinting] = useState(false);
  const stageRef = useRef<HTMLDivElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const printRef = useRef<HTMLDivElement>(null);

  // load the bytes, then the document
  useEffect(() => {
    let current = true;
    let task: ReturnType<typeof openPdf> | null = null;
    invoke('documents.read', { id: documentId })
      .then((answer) => {
        if (!current) return;
        task = openPdf(base64ToBytes(answer.base64));
        return task.promise.then((opened) => {
          if (current) setPdf(opened);
        });
      })
      .catch((failure: unknown) => {
        if (!current) return;
        setError(failure instanceof Error && failure.name === 'VigieRequestError' ? errorMessage(failure) : 'Ce document ne peut pas être affiché : il est peut-être endommagé. Vous pouvez l’enregistrer pour l’ouvrir avec un autre logiciel.');
      });
    return () => {
      current = false;
      void task?.destroy();
    };
  }, [documentId]);

  // draw the current page and its text layer
  useEffect(() => {
    if (!pdf) return;
    let cancelled = false;
    let renderTask: RenderTask | null = null;
    let textLayer: TextLayer | null = null;
    const draw = async () => {
      const page = await pdf.getPage(pageNumber);
      if (cancelled) return;
      const natural = page.getViewport({ scale: 1 });
      const stageWidth = (stageRef.current?.clientWidth ?? 800) - 48;
      const scale = zoom.kind === 'fit' ? Math.max(MIN_SCALE, Math.min(MAX_SCALE, stageWidth / natural.width)) : zoom.scale;
      const viewport = page.getViewport({ scale });
      const canvas = canvasRef.current;
      const pageDiv = pageRef.current;
      const textDiv = textRef.current;
      if (!canvas || !pageDiv || !textDiv) return;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${Math.floor(viewport.width)}px`;
      canvas.style.height = `${Math.floor(viewport.height)}px`;
      pageDiv.style.setProperty('--total-scale-factor', String(scale));
      pageDiv.style.width = `${Math.floor(viewport.width)}px`;
      pageDiv.style.height = `${Math.floor(viewport.height)}px`;
      setShownScale(scale);
      renderTask = page.render({
        canvas,
        viewport,
        transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
      });
      textDiv.replaceChildren();
      textLayer = new TextLayer({ textContentSource: page.streamTextContent(), container: textDiv, viewport });
      await Promise.all([renderTask.promise, textLayer.render()]);
    };
    draw().catch((failure: unknown) => {
      if (cancelled || (failure instanceof Error && failure.name === 'RenderingCancelledException')) return;
      setError('Cette page ne peut pas être affichée.');
    });
    return () => {
      cancelled = true;
      renderTask?.cancel();
      textLayer?.cancel();
    };
  }, [pdf, pageNumber, zoom]);

  // « Ajuster » follows the window's width
  useEffect(() => {
    if (zoom.kind !== 'fit') return;
    const onResize = () => setZoom({ kind: 'fit' });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [zoom.kind]);

  const pageCount = pdf?.numPages ?? 0;
  const currentScale = shownScale ?? 1;
  const zoomBy = (delta: number) =>
    setZoom({ kind: 'fixed', scale: Math.max(MIN_SCALE, Math.min(MAX_SCALE, Math.round((currentScale + delta) * 4) / 4)) });

  const saveAs = async () => {
    if (saving) return;
    setSaving(true);
    setError(null);
    try {
      const written = await invoke('documents.saveAs', { id: documentId });
      if (written) setStatus(`Document enregistré sous ${written.fileName}`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  const print = useCallback(async () => {
    const target = printRef.current;
    if (!pdf || !target) return;
    setPrinting(true);
    try {
      target.replaceChildren();
      for (let n = 1; n <= pdf.numPages; n += 1) {
        const page = await pdf.getPage(n);
        const viewport = page.getViewport({ scale: PRINT_SCALE });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.className = 'print-page';
        await page.render({ canvas, viewport }).promise;
        target.append(canvas);
      }
      window.print();
    } catch {
      setError('L’impression n’a pas pu être préparée.');
    } finally {
      setPrinting(false);
    }
  }, [pdf]);

  return (
    <Modal title={`Visionneuse — ${title}`} onClose={onClose} className="modal-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label="Outils du document">
        <div className="toolbar-group">
          <button type="button" onClick={() => setPageNumber((n) => Math.max(1, n - 1))} disabled={pageNumber <= 1}>
            <span aria-hidden="true">‹ </span>Page précédente
          </button>
          <span className="page-indicator" aria-live="polite" aria-atomic="true">
            {pageCount === 0 ? 'Chargement…' : `Page ${pageNumber} sur ${pageCount}`}
          </span>
          <button type="button" onClick={() => setPageNumber((n) => Math.min(pageCount, n + 1))} disabled={pageNumber >= pageCount}>
            Page suivante<span aria-hidden="true"> ›</span>
          </button>
        </div>
        <div className="toolbar-group">
          <button type="button" onClick={() => zoomBy(-SCALE_STEP)} disabled={!pdf || currentScale <= MIN_SCALE} aria-label="Réduire (zoom arrière)" title="Réduire">
            −
          </button>
          <span className="zoom-indicator" aria-live="polite">
            {Math.round(currentScale * 100)} %
          </span>
          <button type="button" onClick={() => zoomBy(SCALE_STEP)} disabled={!pdf || currentScale >= MAX_SCALE} aria-label="Agrandir (zoom avant)" title="Agrandir">
            +
          </button>
          <button type="button" onClick={() => setZoom({ kind: 'fit' })} disabled={!pdf} aria-pressed={zoom.kind === 'fit'}>
            Ajuster à la largeur
          </button>
        </div>
        <div className="toolbar-group">
          <button type="button" onClick={() => void print()} disabled={!pdf || printing}>
            {printing ? 'Préparation…' : 'Imprimer'}
          </button>
          {/* not disabled while saving: the focus stays on it */}
          <button type="button" className="button-primary" onClick={() => void saveAs()} aria-disabled={saving}>
            {saving ? 'Enregistrement…' : 'Enregistrer sous…'}
          </button>
        </div>
      </div>
      <LiveMessages error={error} status={status} />
      <div ref={stageRef} className="pdf-stage" tabIndex={0} role="region" aria-label={`Document, page ${pageNumber}`}>
        <div ref={pageRef} className="pdf-page" aria-busy={pdf === null}>
          <canvas ref={canvasRef} className="pdf-canvas" aria-hidden="true" />
          <div ref={textRef} className="textLayer" />
        </div>
      </div>
      <div ref={printRef} className="print-pages" aria-hidden="true" />
    </Modal>
  );
}
