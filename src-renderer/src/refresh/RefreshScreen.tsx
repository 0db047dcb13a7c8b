import { useEffect, useId, useRef, useState } from 'react';
import type { ChangeView, RefreshStatus, RunOutcomeView } from '../../../src-main/common/ipc-contract';
import type { ScreenProps } from '../app/screen-props';
import { formatDateTime, frenchSpacing, plural } from '../ui/format';
import { LiveMessages } from '../ui/LiveMessages';
import { Modal } from '../ui/Modal';
import { ScreenHeader } from '../ui/ScreenHeader';
import { RefreshProgressCard } from './RefreshProgressCard';
import { isRunOver, processedCount, runStateWords, timeOfDayWords, triggerWords } from './refresh-words';
import { useRefresh } from './use-refresh';
import './refresh.css';
import { ChangesList } from '../ui/ChangesList';
import { CatchUpBanner } from './CatchUpBanner';
import { PlanningSection } from './PlanningSection';

/**
 * « Mises à jour »: when the register is next checked against API Entreprise and why at night,
 * a run started now and followed while it works, what the last run found, and the runs before.
 */
export function RefreshScreen({ title }: ScreenProps) {
  const refresh = useRefresh();
  const { status, history, loading, error, announcement, pending, act, answerCatchUp, reload, dismissError } = refresh;
  /** The run whose cancellation is being confirmed: the dialog goes with it if it ends meanwhile. */
  const [confirmCancelOf, setConfirmCancelOf] = useState<number | null>(null);
  const launchRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const focusLaunchAtEnd = useRef(false);
  const wasActive = useRef(false);
  const busyHintId = useId();

  const progress = status?.progress ?? null;
  // a run that can still go on (working, paused, stopped on the token) has the progress card
  const active = status !== null && (status.running || (progress !== null && !isRunOver(progress.state)));

  // the run's card goes when the run ends, and with it the button that had the focus (or the
  // one that opened the cancel dialog): the focus goes to « Lancer maintenant », not to the page
  useEffect(() => {
    if (wasActive.current && !active && (focusLaunchAtEnd.current || document.activeElement === document.body)) {
      launchRef.current?.focus();
    }
    if (!active) focusLaunchAtEnd.current = false;
    wasActive.current = active;
  }, [active]);

  const askCancel = () => {
    if (!progress) return;
    focusLaunchAtEnd.current = true;
    setConfirmCancelOf(progress.runId);
  };

  const keepRunning = () => {
    focusLaunchAtEnd.current = false;
    setConfirmCancelOf(null);
  };

  const launch = () => {
    if (active || pending !== null) return;
    void act('start');
  };

  const cancel = async () => {
    if (pending === 'cancel') return;
    await act('cancel');
    setConfirmCancelOf(null);
  };

  return (
    <div className="screen refresh-screen">
      <ScreenHeader title={title}>
        <button
          ref={launchRef}
          type="button"
          className="button-primary"
          onClick={launch}
          aria-disabled={active || pending !== null || status === null}
          aria-describedby={active ? busyHintId : undefined}
        >
          {pending === 'start' ? 'Lancement…' : 'Lancer maintenant'}
        </button>
        {active ? (
          <span id={busyHintId} className="visually-hidden">
            Une mise à jour est déjà en cours.
          </span>
        ) : null}
      </ScreenHeader>
      <LiveMessages
        error={error}
        status={announcement ?? (loading ? 'Chargement des mises à jour…' : null)}
        onDismissError={dismissError}
      />
      {status ? (
        <div className="refresh-layout">
          {status.pendingCatchUp ? (
            <CatchUpBanner
              pending={status.pendingCatchUp}
              onAnswer={async (start) => {
                const refused = await answerCatchUp(start);
                // the banner goes with its buttons: the focus goes to the screen's own button
                window.setTimeout(() => {
                  if (document.activeElement === document.body) launchRef.current?.focus();
                }, 0);
                return refused;
              }}
            />
          ) : null}
          <ScheduleCard status={status} />
          {active && progress ? (
            <RefreshProgressCard
              progress={progress}
              paused={!status.running}
              pending={pending}
              onPause={() => void act('pause')}
              onResume={() => void act('resume')}
              onAskCancel={askCancel}
              cancelButtonRef={cancelRef}
            />
          ) : null}
          <PlanningSection onSaved={reload} />
          <LastRunCard lastRun={status.lastRun} />
          <ChangesCard lastRun={status.lastRun} changes={status.changes} />
          <HistoryCard history={history} />
        </div>
      ) : null}

      {active && progress && confirmCancelOf === progress.runId ? (
        <Modal
          title={'Annuler la mise à jour\u00a0?'}
          onClose={() => {
            if (pending !== 'cancel') keepRunning();
          }}
        >
          <div className="modal-body">
            <p>
              Les vérifications déjà faites restent enregistrées. Les{' '}
              {plural(Math.max(0, progress.total - processedCount(progress)), 'vérification restante', 'vérifications restantes')} ne
              seront pas faites&nbsp;: elles le seront lors d’une prochaine mise à jour.
            </p>
          </div>
          <footer className="modal-footer">
            <button
              type="button"
              onClick={() => {
                if (pending !== 'cancel') keepRunning();
              }}
              aria-disabled={pending === 'cancel'}
            >
              Non, continuer
            </button>
            <button type="button" className="button-danger" onClick={() => void cancel()} aria-disabled={pending === 'cancel'}>
              {pending === 'cancel' ? 'Annulation…' : 'Oui, annuler la mise à jour'}
            </button>
          </footer>
        </Modal>
      ) : null}
    </div>
  );
}

function ScheduleCard({ status }: { status: RefreshStatus }) {
  const headingId = useId();
  return (
    <section className="card card-wide" aria-labelledby={headingId}>
      <h2 id={headingId}>Mises à jour automatiques</h2>
      <p className="refresh-intro">
        Chaque nuit, entre {timeOfDayWords(status.nightWindow.start)} et {timeOfDayWords(status.nightWindow.end)} (heure de cet ordinateur), Vigie demande à API Entreprise les informations et les attestations des fournisseurs qui doivent être
        vérifiées&nbsp;: attestations qui arrivent à échéance, informations anciennes, fournisseurs ajoutés.
      </p>
      <p className="refresh-intro">
        API Entreprise limite le nombre de demandes par minute. Vigie respecte ce rythme&nbsp;: quand le registre est grand, les
        vérifications sont réparties sur plusieurs nuits, en commençant par les plus urgentes. Laissez l’ordinateur allumé et Vigie
        ouvert la nuit&nbsp;; «&nbsp;Lancer maintenant&nbsp;» fait les mêmes vérifications tout de suite.
      </p>
    </section>
  );
}

function LastRunCard({ lastRun }: { lastRun: RunOutcomeView | null }) {
  const headingId = useId();
  return (
    <section className="card card-wide" aria-labelledby={headingId}>
      <h2 id={headingId}>Dernière mise à jour</h2>
      {lastRun ? (
        <>
          <p className="refresh-summary">{frenchSpacing(lastRun.summary)}</p>
          <dl className="facts refresh-facts">
            <div>
              <dt>Terminée le</dt>
              <dd>{formatDateTime(lastRun.finishedAt ?? lastRun.startedAt)}</dd>
            </div>
            <div>
              <dt>Déclenchement</dt>
              <dd>{triggerWords(lastRun.trigger)}</dd>
            </div>
            <div>
              <dt>État</dt>
              <dd>
                <RunStateBadge state={lastRun.state} />
              </dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="card-empty-text">Aucune mise à jour effectuée pour l’instant.</p>
      )}
    </section>
  );
}

function ChangesCard({ lastRun, changes }: { lastRun: RunOutcomeView | null; changes: ChangeView[] }) {
  const headingId = useId();
  return (
    <section className="card card-wide" aria-labelledby={headingId}>
      <h2 id={headingId}>Ce qui a changé</h2>
      {changes.length === 0 ? (
        <p className="card-empty-text">
          {lastRun
            ? 'Aucun changement lors de la dernière mise à jour.'
            : 'Les changements trouvés (attestation refusée, entreprise fermée, adresse modifiée…) apparaîtront ici après la première mise à jour.'}
        </p>
      ) : (
        <ChangesList changes={changes} labelledBy={headingId} />
      )}
    </section>
  );
}

function HistoryCard({ history }: { history: RunOutcomeView[] | null }) {
  const headingId = useId();
  return (
    <section className="card card-wide" aria-labelledby={headingId}>
      <h2 id={headingId}>Historique des mises à jour</h2>
      {history === null ? null : history.length === 0 ? (
        <p className="card-empty-text">Aucune mise à jour pour l’instant.</p>
      ) : (
        <div className="table-wrap refresh-table-wrap">
          <table className="report-table refresh-history" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Déclenchement</th>
                <th scope="col">État</th>
                <th scope="col">Résumé</th>
              </tr>
            </thead>
            <tbody>
              {history.map((run) => (
                <tr key={run.id}>
                  <td className="refresh-nowrap">{formatDateTime(run.startedAt)}</td>
                  <td>{triggerWords(run.trigger)}</td>
                  <td>
                    <RunStateBadge state={run.state} />
                  </td>
                  <td>{frenchSpacing(run.summary)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RunStateBadge({ state }: { state: string }) {
  const { words, tone } = runStateWords(state);
  return <span className={`state-badge state-${tone}`}>{words}</span>;
}
