import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { formatFileSize } from '../ui/format';
import { Modal } from '../ui/Modal';
import { Section } from '../ui/Section';
import { SectionMessage } from '../ui/SectionMessage';

/** The daily backups: a copy now, and a restore that keeps the current register aside. */
export function BackupsSection({ headingId }: { headingId?: string }) {
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
    if (busy) return;
    setBusy(true);
    setError(null);
    setStatus('Sauvegarde en cours…');
    try {
      const made = await invoke('backups.create', {});
      setStatus(`Sauvegarde faite : ${made.label}.`);
      load();
    } catch (failure) {
      setStatus(null);
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
    <Section
      title="Sauvegardes"
      headingId={headingId}
      className="backups"
      busy={busy}
      intro="Vigie fait chaque jour une copie vérifiée du registre (les 7 derniers jours, 4 semaines et 12 mois sont gardés). Restaurer une sauvegarde remplace le registre actuel, qui est mis de côté sans être effacé, puis redémarre Vigie."
    >
      <div className="card-actions">
        <button type="button" onClick={() => void createNow()} aria-disabled={busy}>
          Faire une sauvegarde maintenant
        </button>
      </div>
      <SectionMessage error={error} status={backups === null && error === null ? 'Lecture des sauvegardes…' : status} />
      {backups !== null && backups.length === 0 && <p className="card-empty-text">Aucune sauvegarde pour l’instant.</p>}
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
                <td>{formatFileSize(backup.sizeBytes)}</td>
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
              Le registre actuel sera remplacé par {confirming.label}. Il est gardé de côté dans le dossier de Vigie&nbsp;: rien n’est
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
    </Section>
  );
}
