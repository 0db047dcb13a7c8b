import { useCallback, useEffect, useId, useState } from 'react';
import type { DataFolderView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { formatDateTime, frenchSpacing } from '../ui/format';

/** « Dossier des données »: where the register, documents and backups are, and moving them (at the next start). */
export function DataFolderSection() {
  const headingId = useId();
  const [view, setView] = useState<DataFolderView | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    invoke('dataFolder.get', {}).then(setView, (failure: unknown) => setError(errorMessage(failure)));
  }, []);
  useEffect(load, [load]);

  const move = async (to: 'choose' | 'default') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const answer = await invoke('dataFolder.move', { to });
      if (answer === null) return;
      setView(answer.view);
      setStatus(
        answer.restarting
          ? 'Vigie redémarre pour déplacer les données…'
          : 'Le déplacement se fera au prochain démarrage de Vigie : fermez Vigie puis relancez-la.',
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    setError(null);
    try {
      setView(await invoke('dataFolder.cancelMove', {}));
      setStatus('Le déplacement prévu est annulé.');
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const outcome = view?.lastMoveOutcome ?? null;
  return (
    <section className="card backups" aria-labelledby={headingId}>
      <h2 id={headingId}>Dossier des données</h2>
      <p className="card-intro">
        {frenchSpacing(
          'Le registre, les documents, les sauvegardes, les journaux et les paramètres (avec le jeton chiffré) sont rangés dans ce dossier. Vous pouvez le déplacer, par exemple sur un disque sauvegardé : Vigie redémarre, copie tout, vérifie la copie, puis retire l’ancienne. En cas de problème, rien n’est perdu : les données restent à leur place.',
        )}
      </p>
      {view && (
        <dl className="facts">
          <div>
            <dt>Dossier actuel{view.isDefault ? ' (dossier par défaut)' : ''}</dt>
            <dd className="mono">{view.current}</dd>
          </div>
          {view.pendingMove && (
            <div>
              <dt>Déplacement prévu au prochain démarrage vers</dt>
              <dd className="mono">{view.pendingMove}</dd>
            </div>
          )}
        </dl>
      )}
      {outcome && (
        <p className={outcome.status === 'failure' ? 'backups-error' : undefined}>
          {outcome.status === 'failure' ? 'Dernier déplacement, échec' : 'Dernier déplacement'} ({formatDateTime(outcome.at)}){'\u00a0'}:{' '}
          {frenchSpacing(outcome.message)}
        </p>
      )}
      <div className="card-actions">
        <button type="button" className="button-quiet" onClick={() => void move('choose')} aria-disabled={busy}>
          Déplacer les données…
        </button>
        {view && !view.isDefault && (
          <button type="button" className="button-quiet" onClick={() => void move('default')} aria-disabled={busy}>
            Revenir au dossier par défaut
          </button>
        )}
        {view?.pendingMove && (
          <button type="button" className="button-quiet" onClick={() => void cancel()}>
            Annuler le déplacement prévu
          </button>
        )}
      </div>
      <p className={error ? 'backups-message backups-error' : 'backups-message'} aria-live="polite">
        {frenchSpacing(error ?? status ?? '')}
      </p>
    </section>
  );
}
