import { useId, type RefObject } from 'react';
import type { RefreshProgressView } from '../../../src-main/common/ipc-contract';
import { formatCount, frenchSpacing, plural } from '../ui/format';
import { clockWords, etaWords, paceWords, processedCount, progressWords } from './refresh-words';
import type { RefreshAction } from './use-refresh';

/** The errors shown: the latest ones, enough to see what goes wrong without a wall of text. */
const SHOWN_ERRORS = 5;

interface RefreshProgressCardProps {
  progress: RefreshProgressView;
  /** The run waits (paused by the agent, or stopped because the token was refused). */
  paused: boolean;
  pending: RefreshAction | null;
  onPause(): void;
  onResume(): void;
  onAskCancel(): void;
  cancelButtonRef: RefObject<HTMLButtonElement | null>;
}

function heading(progress: RefreshProgressView, paused: boolean): string {
  if (progress.state === 'stopped_token') return 'Mise à jour arrêtée';
  if (progress.state === 'interrupted') return 'Mise à jour interrompue';
  return paused ? 'Mise à jour en pause' : 'Mise à jour en cours';
}

/** The run under way: how far it is, how long it should still take, each pace, what went wrong, and its controls. */
export function RefreshProgressCard(props: RefreshProgressCardProps) {
  const { progress, paused, pending, onPause, onResume, onAskCancel, cancelButtonRef } = props;
  const headingId = useId();
  const labelId = useId();
  const poolsId = useId();
  const errorsId = useId();
  const processed = processedCount(progress);
  const total = Math.max(progress.total, processed);
  const working = progress.state === 'running' && !paused;
  const eta = working ? etaWords(progress.etaMs) : null;
  const words = progressWords(processed, total);
  const waiting = pending === 'pause' || pending === 'cancel';
  // the latest first, whatever order they come in
  const errors = [...progress.errors].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));

  // one button for pause and resume: it keeps the keyboard focus when its label changes
  const toggle = working
    ? { label: pending === 'pause' ? 'Mise en pause…' : 'Mettre en pause', onClick: onPause }
    : { label: pending === 'resume' ? 'Reprise…' : 'Reprendre', onClick: onResume };

  return (
    <section className="card card-wide refresh-progress" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading(progress, paused)}</h2>
      {progress.state === 'stopped_token' ? (
        <p className="notice refresh-notice">
          API Entreprise a refusé le jeton&nbsp;: enregistrez un jeton valide dans l’écran Jeton, puis choisissez «&nbsp;Reprendre&nbsp;».
        </p>
      ) : null}
      {paused && progress.state === 'paused' ? (
        <p className="refresh-intro">
          Les vérifications déjà faites sont enregistrées. Choisissez «&nbsp;Reprendre&nbsp;» pour continuer là où la mise à jour s’est
          arrêtée.
        </p>
      ) : null}

      <div className="refresh-bar-legend">
        <span id={labelId}>Avancement de la mise à jour</span>
        <span aria-hidden="true">{words}</span>
      </div>
      <div
        role="progressbar"
        className="refresh-bar-track"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={processed}
        aria-valuetext={words}
      >
        <progress className="meter-bar refresh-bar" max={Math.max(total, 1)} value={processed} aria-hidden="true" />
      </div>
      {eta ? (
        <p className="refresh-eta">
          <span className="fact-label">Temps restant estimé&nbsp;:</span> <strong>{eta}</strong>
        </p>
      ) : null}

      <ul className="counts refresh-counts" aria-label="Bilan des vérifications">
        <li className="count">
          <strong>{formatCount(progress.done)}</strong> {progress.done >= 2 ? 'faites' : 'faite'}
        </li>
        <li className={progress.failed > 0 ? 'count count-bad' : 'count'}>
          <strong>{formatCount(progress.failed)}</strong> en erreur
        </li>
        <li className="count">
          <strong>{formatCount(progress.skipped)}</strong> {progress.skipped >= 2 ? 'reportées' : 'reportée'}
        </li>
      </ul>

      <div className="card-actions">
        <button
          type="button"
          onClick={() => {
            if (pending === null) toggle.onClick();
          }}
          aria-disabled={pending !== null}
        >
          {toggle.label}
        </button>
        <button
          ref={cancelButtonRef}
          type="button"
          className="button-danger-quiet"
          onClick={() => {
            if (!waiting) onAskCancel();
          }}
          aria-disabled={waiting}
        >
          {pending === 'cancel' ? 'Annulation…' : 'Annuler la mise à jour'}
        </button>
      </div>

      {progress.perPool.length > 0 ? (
        <>
          <h3 id={poolsId}>Rythme par service d’API Entreprise</h3>
          <p className="refresh-intro">
            API Entreprise limite le nombre de demandes par minute pour chaque service&nbsp;; Vigie reste en dessous.
          </p>
          <div className="table-wrap refresh-table-wrap">
            <table className="report-table refresh-pools" aria-labelledby={poolsId}>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Vérifications</th>
                  <th scope="col">Rythme</th>
                  <th scope="col">État</th>
                </tr>
              </thead>
              <tbody>
                {progress.perPool.map((pool) => {
                  const finished = pool.done + pool.failed >= pool.total;
                  return (
                    <tr key={pool.pool}>
                      <th scope="row">{pool.label}</th>
                      <td>
                        {formatCount(pool.done)} sur {formatCount(pool.total)}
                        {pool.failed > 0 ? <span className="refresh-pool-failed"> · {formatCount(pool.failed)} en erreur</span> : null}
                      </td>
                      <td>{paceWords(pool.ratePerMinute, pool.limitPerMinute)}</td>
                      <td>
                        {pool.blockedUntil !== null ? (
                          <span className="refresh-pool-blocked">en pause jusqu’à {clockWords(pool.blockedUntil)}</span>
                        ) : finished ? (
                          'terminé'
                        ) : paused ? (
                          'en attente'
                        ) : (
                          'en cours'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      {errors.length > 0 ? (
        <>
          <h3 id={errorsId}>Erreurs récentes</h3>
          <p className="refresh-intro">
            Les informations déjà connues de ces fournisseurs sont conservées&nbsp;; ils seront vérifiés à nouveau plus tard.
            {errors.length > SHOWN_ERRORS
              ? ` Les ${formatCount(SHOWN_ERRORS)} dernières sur ${plural(errors.length, 'erreur', 'erreurs')}.`
              : ''}
          </p>
          <ul className="refresh-errors" aria-labelledby={errorsId}>
            {errors.slice(0, SHOWN_ERRORS).map((error, index) => (
              <li key={`${error.at}-${error.supplierId}-${error.endpoint}-${index}`}>
                <span className="refresh-error-time">{clockWords(error.at)}</span>
                <span>{frenchSpacing(error.message)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
