import { useCallback, useEffect, useRef, useState } from 'react';
import type { DataFolderView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { formatDateTime, frenchSpacing } from '../ui/format';
import { Section } from '../ui/Section';
import { SectionMessage } from '../ui/SectionMessage';

/** « Dossier des données »: where the register, documents and backups are, and moving them (at the next start). */
export function DataFolderSection({ headingId }: { headingId?: string }) {
  const [view, setView] = useState<DataFolderView | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // « Annuler le déplacement prévu » goes once it did its work: the focus moves to « Déplacer les données… »
  const moveButton = useRef<HTMLButtonElement | null>(null);

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
          : 'Le déplacement se fera au prochain démarrage de Vigie : fermez Vigie puis relancez-le.',
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
      moveButton.current?.focus();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const outcome = view?.lastMoveOutcome ?? null;
  return (
    <Section
      title="Dossier des données"
      headingId={headingId}
      busy={busy}
      intro="Le registre, les documents, les sauvegardes, les journaux et les paramètres (avec le jeton chiffré) sont rangés dans ce dossier. Vous pouvez le déplacer, par exemple sur un disque sauvegardé : Vigie redémarre, copie tout, vérifie la copie, puis retire l’ancienne. En cas de problème, rien n’est perdu : les données restent à leur place."
    >
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
        <p className={outcome.status === 'failure' ? 'move-outcome move-outcome-failure' : 'move-outcome'}>
          {outcome.status === 'failure' ? 'Dernier déplacement, échec' : 'Dernier déplacement'} ({formatDateTime(outcome.at)}){'\u00a0'}:{' '}
          {frenchSpacing(outcome.message)}
        </p>
      )}
      <div className="card-actions">
        <button ref={moveButton} type="button" onClick={() => void move('choose')} aria-disabled={busy}>
          Déplacer les données…
        </button>
        {view && !view.isDefault && (
          <button type="button" onClick={() => void move('default')} aria-disabled={busy}>
            Revenir au dossier par défaut
          </button>
        )}
        {view?.pendingMove && (
          <button type="button" onClick={() => void cancel()}>
            Annuler le déplacement prévu
          </button>
        )}
      </div>
      <SectionMessage error={error} status={view === null && error === null ? 'Lecture du dossier des données…' : status} />
    </Section>
  );
}
