import { useEffect, useId, useMemo, useState } from 'react';
import type { JournalPage, JournalQuery } from '../../../src-main/common/ipc-contract';
import { formatIdentifier } from '../../../src-main/common/identifiers';
import type { ScreenProps } from '../app/screen-props';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { outcomeWords } from '../supplier/supplier-words';
import { formatCount, formatDateTime, plural } from '../ui/format';
import { LiveMessages } from '../ui/LiveMessages';
import { ScreenHeader } from '../ui/ScreenHeader';
import { JOURNAL_ENDPOINTS } from './journal-endpoints';

const PAGE_SIZE = 100;

type Outcome = 'all' | 'ok' | 'error';
const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = { all: 'Tous', ok: 'Réussis', error: 'En erreur' };
const OUTCOMES = Object.keys(OUTCOME_LABELS) as Outcome[];

/** « Journal des appels »: every call made to API Entreprise, filtered, paged, exported for an audit. */
export function JournalScreen({ title }: ScreenProps) {
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('all');
  const [pageIndex, setPageIndex] = useState(0);
  const [page, setPage] = useState<JournalPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const filters = useMemo<Omit<JournalQuery, 'offset' | 'limit'>>(
    () => ({
      ...(from !== '' ? { from } : {}),
      ...(to !== '' ? { to } : {}),
      ...(endpoint !== '' ? { endpoint } : {}),
      outcome,
    }),
    [from, to, endpoint, outcome],
  );

  useEffect(() => {
    let current = true;
    invoke('journal.search', { ...filters, offset: pageIndex * PAGE_SIZE, limit: PAGE_SIZE }).then(
      (answer) => {
        if (current) setPage(answer);
      },
      (failure: unknown) => {
        if (current) setError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [filters, pageIndex]);

  // a new filter starts again at the first page
  const change = (apply: () => void) => {
    apply();
    setPageIndex(0);
  };

  const exportCsv = async () => {
    setExporting(true);
    setError(null);
    try {
      const written = await invoke('journal.export', filters);
      if (written) setStatus(`${plural(written.rows, 'appel exporté', 'appels exportés')} dans ${written.fileName}`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setExporting(false);
    }
  };

  const total = page?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const datesInverted = from !== '' && to !== '' && from > to;

  return (
    <div className="screen">
      <ScreenHeader title={title}>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Export en cours…' : 'Exporter en CSV'}
        </button>
      </ScreenHeader>
      <p className="hint">
        Chaque demande faite à API Entreprise est notée ici, avec son cadre et son résultat : c’est la trace à présenter
        en cas de contrôle.
      </p>

      <LiveMessages error={error} status={status} onDismissError={() => setError(null)} />

      <div className="filters" role="search" aria-label="Filtres du journal">
        <div className="field">
          <label htmlFor={`${id}-from`}>Du</label>
          <input id={`${id}-from`} type="date" value={from} onChange={(event) => change(() => setFrom(event.target.value))} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>Au</label>
          <input
            id={`${id}-to`}
            type="date"
            value={to}
            onChange={(event) => change(() => setTo(event.target.value))}
            aria-invalid={datesInverted}
            aria-describedby={datesInverted ? `${id}-dates-error` : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-endpoint`}>Point d’accès</label>
          <select id={`${id}-endpoint`} value={endpoint} onChange={(event) => change(() => setEndpoint(event.target.value))}>
            <option value="">Tous</option>
            {JOURNAL_ENDPOINTS.map((item) => (
              <option key={item.id} value={item.id}>
                {item.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Résultat</label>
          <select
            id={`${id}-outcome`}
            value={outcome}
            onChange={(event) => change(() => setOutcome(OUTCOMES.find((o) => o === event.target.value) ?? 'all'))}
          >
            {OUTCOMES.map((value) => (
              <option key={value} value={value}>
                {OUTCOME_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {datesInverted ? (
        <p id={`${id}-dates-error`} className="field-error">
          La date de fin est avant la date de début : aucun appel ne peut correspondre.
        </p>
      ) : null}

      <p className="result-count" aria-live="polite" aria-atomic="true">
        {page === null ? 'Chargement…' : total === 0 ? 'Aucun appel' : plural(total, 'appel', 'appels')}
      </p>

      {page !== null && total > 0 ? (
        <div className="table-wrap journal-table-wrap">
          <table className="report-table journal-table">
            <caption className="visually-hidden">Appels à API Entreprise, page {pageIndex + 1}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Point d’accès</th>
                <th scope="col">Fournisseur</th>
                <th scope="col">Numéro</th>
                <th scope="col">Résultat</th>
                <th scope="col">Durée</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <td>{formatDateTime(row.at)}</td>
                  <td>{row.endpointLabel}</td>
                  <td>{row.supplierName ?? <span className="muted">—</span>}</td>
                  <td className="mono">{row.identifier ? formatIdentifier(row.identifier) : '—'}</td>
                  <td className={row.outcome === 'ok' ? 'outcome-ok' : 'outcome-error'}>
                    {outcomeWords(row.outcome)}
                    {row.httpStatus !== null && row.outcome !== 'ok' ? ` (HTTP ${row.httpStatus})` : ''}
                  </td>
                  <td className="numeric">{row.durationMs === null ? '—' : `${formatCount(row.durationMs)} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {page !== null && total > 0 ? (
        <nav className="pager" aria-label="Pages du journal">
          <button type="button" onClick={() => setPageIndex((n) => Math.max(0, n - 1))} disabled={pageIndex === 0}>
            Page précédente
          </button>
          <span aria-live="polite" aria-atomic="true">
            Page {pageIndex + 1} sur {pageCount}
          </span>
          <button type="button" onClick={() => setPageIndex((n) => Math.min(pageCount - 1, n + 1))} disabled={pageIndex >= pageCount - 1}>
            Page suivante
          </button>
        </nav>
      ) : null}
    </div>
  );
}
