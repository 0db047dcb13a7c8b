import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { BackupView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { Modal } from '../ui/Modal';

function formatSize(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1).replace('.', ',')} Mo` : `${Math.max(1, Math.round(bytes / 1024))} Ko`;
}

/** The daily backups: a copy now, and a restore that keeps the current register aside. */
export function BackupsSection() {
  const headingId = useId();
  const [backups, setBackups] = useState<BackupView[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<BackupView | null>(null);
  // the row's button the confirmation returns focus to
  const restoreButton = useRef<HTMLButtonElement | null>(null);

  const load = useCallback(() => {
    invoke('backups.list', {}).then(setBackups, (failure: unknown) => setError(errorMessage(failure)));
  }, []);
  useEffect(load, [load]);

  const createNow = async () => {
    setBusy(true);
    setError(null);
    try {
      const made = await invoke('backups.create', {});
      setStatus(`Sauvegarde faite : ${made.label}.`);
      load();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const restore = async (backup: BackupView) => {
    setConfirming(null);
    setBusy(true);
    setStatus('Restauration en cours : Vigie va redémarrer…');
    try {
      await invoke('backups.restore', { fileName: backup.fileName });
    } catch (failure) {
      setStatus(null);
      setError(errorMessage(failure));
      setBusy(false);
    }
  };

  return (
    <section className="card backups" aria-labelledby={headingId}>
      <h2 id={headingId}>Sauvegardes</h2>
      <p className="card-intro">
        Vigie fait chaque jour une copie vérifiée du registre (les 7 derniers jours, 4 semaines et 12 mois sont gardés). Restaurer
        une sauvegarde remplace le registre actuel, qui est mis de côté sans être effacé, puis redémarre Vigie.
      </p>
      <button type="button" className="button-quiet" onClick={() => void createNow()} aria-disabled={busy}>
        Faire une sauvegarde maintenant
      </button>
      {/* one polite region for both: the settings form above already owns the screen's alert region */}
      <p className={error ? 'backups-message backups-error' : 'backups-message'} aria-live="polite">
        {error ?? status ?? ''}
      </p>
      {backups !== null && backups.length === 0 && <p>Aucune sauvegarde pour l’instant.</p>}
      {backups !== null && backups.length > 0 && (
        <table className="backups-table">
          <caption className="visually-hidden">Sauvegardes disponibles, la plus récente d’abord</caption>
          <thead>
            <tr>
              <th scope="col">Sauvegarde</th>
              <th scope="col">Taille</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((backup) => (
              <tr key={backup.fileName}>
                <td>{backup.label.charAt(0).toUpperCase() + backup.label.slice(1)}</td>
                <td>{formatSize(backup.sizeBytes)}</td>
                <td>
                  <button
                    type="button"
                    className="button-link"
                    onClick={(event) => {
                      restoreButton.current = event.currentTarget;
                      setConfirming(backup);
                    }}
                    aria-disabled={busy}
                  >
                    Restaurer<span className="visually-hidden"> {backup.label}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming && (
        <Modal title="Restaurer cette sauvegarde ?" onClose={() => setConfirming(null)} returnFocusRef={restoreButton}>
          <div className="modal-body">
            <p>
              Le registre actuel sera remplacé par {confirming.label}. Il est gardé de côté dans le dossier de Vigie, rien n’est
              effacé. Vigie redémarrera.
            </p>
          </div>
          <footer className="modal-footer">
            <button type="button" onClick={() => setConfirming(null)}>
              Annuler
            </button>
            <button type="button" className="button-danger" onClick={() => void restore(confirming)}>
              Restaurer et redémarrer
            </button>
          </footer>
        </Modal>
      )}
    </section>
  );
}
