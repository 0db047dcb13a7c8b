import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { ColumnMapping, ImportField, ImportReport, RejectedRow } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { formatCount, plural, quoted } from '../ui/format';
import { Modal } from '../ui/Modal';
import { DELIMITER_WORDS, ENCODING_WORDS, FIELD_LABELS, IMPORT_FIELDS } from './import-labels';

export interface ChosenFile {
  fileId: string;
  fileName: string;
}

interface ImportWizardProps {
  file: ChosenFile;
  onClose(): void;
  /** Called once the import is written, even if the user closes the dialog right after. */
  onImported(report: ImportReport): void;
  returnFocusRef?: RefObject<HTMLElement | null>;
}

/** Long reports are cut: the first rows are what an agent fixes first anyway. */
const MAX_LISTED_ROWS = 200;
/** Enough rows to recognise each column, few enough to keep the figures in view. */
const PREVIEW_ROWS_SHOWN = 5;
const IGNORE = '';

function hasIdentifier(mapping: ColumnMapping): boolean {
  return Object.values(mapping).some((field) => field === 'siret' || field === 'siren');
}

function toField(value: string): ImportField | undefined {
  return IMPORT_FIELDS.find((field) => field === value);
}

/** Preview of a chosen CSV (a dry run by the core), column mapping, then the import itself. */
export function ImportWizard({ file, onClose, onImported, returnFocusRef }: ImportWizardProps) {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [previewing, setPreviewing] = useState(true);
  const [committing, setCommitting] = useState(false);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  // only the answer to the latest mapping is shown
  const previewRequest = useRef(0);
  const onImportedRef = useRef(onImported);
  const doneHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    onImportedRef.current = onImported;
  }, [onImported]);

  const preview = (nextMapping: ColumnMapping | undefined) => {
    const request = ++previewRequest.current;
    invoke('csv.previewImport', nextMapping ? { fileId: file.fileId, mapping: nextMapping } : { fileId: file.fileId }).then(
      (answer) => {
        if (request !== previewRequest.current) return;
        setReport(answer);
        setMapping(answer.mapping);
        setPreviewing(false);
        setError(null);
      },
      (failure: unknown) => {
        if (request !== previewRequest.current) return;
        setPreviewing(false);
        setError(errorMessage(failure));
      },
    );
  };

  // the first preview uses the mapping the core suggests from the headers or the content
  const firstPreview = useRef(preview);
  useEffect(() => {
    firstPreview.current(undefined);
  }, []);

  useEffect(() => {
    if (result) doneHeading.current?.focus();
  }, [result]);

  const changeColumn = (column: number, value: string) => {
    const field = toField(value);
    const next: ColumnMapping = {};
    // a field fills one column: choosing it here releases it elsewhere
    for (const [key, existing] of Object.entries(mapping)) {
      if (key !== String(column) && existing !== field) next[key] = existing;
    }
    if (field) next[String(column)] = field;
    setMapping(next);
    setPreviewing(true);
    preview(next);
  };

  const commit = () => {
    setCommitting(true);
    setError(null);
    invoke('csv.commitImport', { fileId: file.fileId, mapping }).then(
      (answer) => {
        setCommitting(false);
        setResult(answer);
        onImportedRef.current(answer);
      },
      (failure: unknown) => {
        setCommitting(false);
        setError(errorMessage(failure));
      },
    );
  };

  if (result) {
    return (
      <Modal title="Importer un fichier CSV" onClose={onClose} className="modal-wide" returnFocusRef={returnFocusRef}>
        <div className="modal-body">
          <h3 ref={doneHeading} tabIndex={-1} className="done-heading">
            Import terminé
          </h3>
          <p>Le fichier {quoted(result.fileName)} a été importé dans le registre.</p>
          <ul className="counts" aria-label="Bilan de l’import">
            <CountItem value={result.inserted} label="créés" />
            <CountItem value={result.updated} label="mis à jour" />
            <CountItem value={result.unchanged} label="inchangés" />
            <CountItem value={result.rejected.length} label="rejetés" tone={result.rejected.length > 0 ? 'bad' : undefined} />
          </ul>
          {result.rejected.length > 0 ? (
            <RowReport title="Lignes rejetées" reasonLabel="Motif" rows={result.rejected} />
          ) : null}
        </div>
        <footer className="modal-footer">
          <button type="button" className="button-primary" onClick={onClose}>
            Fermer
          </button>
        </footer>
      </Modal>
    );
  }

  // without an identifier column the core checks no row: none could be imported
  const accepted = report && hasIdentifier(report.mapping) ? report.totalRows - report.rejected.length : 0;
  const canImport = report !== null && hasIdentifier(mapping) && accepted > 0 && !previewing && !committing;

  return (
    <Modal
      title="Importer un fichier CSV"
      onClose={onClose}
      closable={!committing}
      className="modal-wide"
      returnFocusRef={returnFocusRef}
    >
      <div className="modal-body">
        {error ? (
          <div role="alert" className="alert">
            {error}
          </div>
        ) : null}
        {report === null ? (
          previewing ? (
            <p role="status">Lecture de {quoted(file.fileName)}…</p>
          ) : null
        ) : (
          <>
            <dl className="file-facts">
              <div>
                <dt>Fichier</dt>
                <dd>{report.fileName}</dd>
              </div>
              <div>
                <dt>Encodage</dt>
                <dd>{ENCODING_WORDS[report.encoding]}</dd>
              </div>
              <div>
                <dt>Séparateur</dt>
                <dd>{DELIMITER_WORDS[report.delimiter]}</dd>
              </div>
              <div>
                <dt>Ligne d’en-tête</dt>
                <dd>{report.hasHeader ? 'trouvée' : 'absente (colonnes reconnues d’après leur contenu)'}</dd>
              </div>
              <div>
                <dt>Lignes de données</dt>
                <dd>{formatCount(report.totalRows)}</dd>
              </div>
            </dl>

            <MappingTable report={report} mapping={mapping} disabled={committing} onChange={changeColumn} />

            {!hasIdentifier(mapping) ? (
              <p className="notice">
                Choisissez la colonne qui contient le SIRET ou le SIREN : sans elle, aucune ligne ne peut être importée.
              </p>
            ) : null}

            <section aria-labelledby="import-forecast" className="forecast">
              <h3 id="import-forecast">
                Résultat prévu{' '}
                {previewing ? <span className="muted">(mise à jour…)</span> : null}
              </h3>
              <ul className="counts" aria-label="Résultat prévu">
                <CountItem value={report.inserted} label="à créer" />
                <CountItem value={report.updated} label="à mettre à jour" />
                <CountItem value={report.unchanged} label="inchangés" />
                <CountItem value={report.rejected.length} label="rejetées" tone={report.rejected.length > 0 ? 'bad' : undefined} />
              </ul>
            </section>

            {report.rejected.length > 0 ? (
              <RowReport title="Lignes rejetées" reasonLabel="Motif" rows={report.rejected} />
            ) : null}
            {report.warnings.length > 0 ? (
              <RowReport title="Avertissements" reasonLabel="Avertissement" rows={report.warnings} />
            ) : null}
          </>
        )}
      </div>
      <footer className="modal-footer">
        <button type="button" onClick={onClose} disabled={committing}>
          Annuler
        </button>
        <button type="button" className="button-primary" onClick={commit} disabled={!canImport}>
          {committing ? 'Import en cours…' : `Importer ${plural(accepted, 'ligne', 'lignes')}`}
        </button>
      </footer>
    </Modal>
  );
}

function CountItem({ value, label, tone }: { value: number; label: string; tone?: 'bad' | undefined }) {
  return (
    <li className={tone === 'bad' ? 'count count-bad' : 'count'}>
      <strong>{formatCount(value)}</strong> {label}
    </li>
  );
}

interface MappingTableProps {
  report: ImportReport;
  mapping: ColumnMapping;
  disabled: boolean;
  onChange(column: number, value: string): void;
}

function MappingTable({ report, mapping, disabled, onChange }: MappingTableProps) {
  const headingId = useId();
  const width = Math.max(report.headers.length, ...report.preview.map((row) => row.length));
  const columns = Array.from({ length: width }, (_, index) => index);
  const headerOf = (column: number) => report.headers[column] ?? `Colonne ${column + 1}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Colonnes du fichier</h3>
      <p className="hint">Indiquez ce que contient chaque colonne ; la colonne SIRET ou SIREN est indispensable.</p>
      <div className="table-wrap">
        <table className="preview-table">
          <caption className="visually-hidden">Premières lignes du fichier et contenu de chaque colonne</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {headerOf(column)}
                </th>
              ))}
            </tr>
            <tr className="mapping-row">
              {columns.map((column) => (
                <td key={column}>
                  <select
                    aria-label={`Contenu de la colonne ${column + 1} (${headerOf(column)})`}
                    value={mapping[String(column)] ?? IGNORE}
                    disabled={disabled}
                    onChange={(event) => onChange(column, event.target.value)}
                  >
                    <option value={IGNORE}>Ignorer</option>
                    {IMPORT_FIELDS.map((field) => (
                      <option key={field} value={field}>
                        {FIELD_LABELS[field]}
                      </option>
                    ))}
                  </select>
                </td>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.preview.slice(0, PREVIEW_ROWS_SHOWN).map((row, rowIndex) => (
              <tr key={rowIndex}>
                {columns.map((column) => (
                  <td key={column}>{row[column] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RowReport({ title, reasonLabel, rows }: { title: string; reasonLabel: string; rows: readonly RejectedRow[] }) {
  const headingId = useId();
  const listed = rows.slice(0, MAX_LISTED_ROWS);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title} ({formatCount(rows.length)})
      </h3>
      <div className="table-wrap table-wrap-short">
        <table className="report-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">Ligne</th>
              <th scope="col">Valeur</th>
              <th scope="col">{reasonLabel}</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((row, index) => (
              <tr key={`${row.line}-${index}`}>
                <td className="numeric">{row.line}</td>
                <td>{row.value}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > listed.length ? (
        <p className="hint">
          Seules les {formatCount(listed.length)} premières sont affichées sur {formatCount(rows.length)}.
        </p>
      ) : null}
    </section>
  );
}
