import { useRef, useState } from 'react';
import type { TransferImportPreview } from '../../../src-main/common/ipc-contract';
import { formatIdentifier } from '../../../src-main/common/identifiers';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { LiveMessages } from '../ui/LiveMessages';
import { Modal } from '../ui/Modal';
import { formatDate, formatFileSize, frenchSpacing, plural, quoted } from '../ui/format';
import { Section } from '../ui/Section';

type Phase = 'idle' | 'exporting' | 'checking' | 'confirming' | 'importing';

/** « Archive du 28/11/2026 : 1 234 fournisseurs, 567 documents »: what the user checks before replacing anything. */
export function describeArchive(preview: Pick<TransferImportPreview, 'createdAt' | 'suppliers' | 'documents'>): string {
  return `Archive du ${formatDate(preview.createdAt)} : ${plural(preview.suppliers, 'fournisseur', 'fournisseurs')}, ${plural(preview.documents, 'document', 'documents')}`;
}

/**
 * « Changer de poste »: the whole register with its documents in one .zip for the new computer,
 * and, on the new computer, that archive checked, summarized, confirmed, then put in place.
 */
export function TransferSection({ headingId }: { headingId?: string }) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<TransferImportPreview | null>(null);
  // the confirmation gives focus back to the button that opened it
  const importButton = useRef<HTMLButtonElement | null>(null);
  const busy = phase !== 'idle';

  const exportArchive = async () => {
    if (busy) return;
    setPhase('exporting');
    setError(null);
    setStatus('Export en cours : copie du registre et des documents dans l’archive… Cela peut prendre plusieurs minutes.');
    try {
      const report = await invoke('transfer.export', {});
      setStatus(
        report === null
          ? null
          : `Archive ${quoted(report.fileName)} enregistrée (${formatFileSize(report.bytes)}) : ${plural(report.suppliers, 'fournisseur', 'fournisseurs')}, ${plural(report.documents, 'document', 'documents')}. Copiez-la sur le nouveau poste.`,
      );
    } catch (failure) {
      setStatus(null);
      setError(errorMessage(failure));
    } finally {
      setPhase('idle');
    }
  };

  const chooseArchive = async () => {
    if (busy) return;
    setPhase('checking');
    setError(null);
    setStatus('Vérification de l’archive : chaque fichier est contrôlé avant de remplacer quoi que ce soit…');
    try {
      const checked = await invoke('transfer.previewImport', {});
      if (checked === null) {
        setStatus(null);
        setPhase('idle');
        return;
      }
      setStatus(`${describeArchive(checked)}. L’archive est complète et intacte.`);
      setPreview(checked);
      setPhase('confirming');
    } catch (failure) {
      setStatus(null);
      setError(errorMessage(failure));
      setPhase('idle');
    }
  };

  const cancelImport = () => {
    if (preview) void invoke('transfer.discardImport', { importId: preview.importId }).catch(() => undefined);
    setPreview(null);
    setPhase('idle');
    setStatus('Import annulé : le registre de ce poste n’a pas changé.');
  };

  const confirmImport = async () => {
    if (!preview) return;
    const { importId } = preview;
    setPreview(null);
    setPhase('importing');
    setStatus('Import en cours : Vigie va redémarrer…');
    try {
      await invoke('transfer.commitImport', { importId });
    } catch (failure) {
      setStatus(null);
      setError(errorMessage(failure));
      setPhase('idle');
    }
  };

  return (
    <Section
      title="Changer de poste"
      headingId={headingId}
      className="transfer"
      busy={phase === 'exporting' || phase === 'checking' || phase === 'importing'}
      intro="Pour passer Vigie sur un nouvel ordinateur : exportez ici le registre complet (fournisseurs, attestations, documents, journal des appels et paramètres de la commune) dans un seul fichier .zip, copiez-le sur le nouveau poste, puis importez-le dans Vigie sur ce nouveau poste. Le jeton API Entreprise n’est pas dans l’archive : il faudra le saisir à nouveau."
    >
      <div className="card-actions">
        <button type="button" onClick={() => void exportArchive()} aria-disabled={busy}>
          Exporter le registre pour un autre poste
        </button>
        <button ref={importButton} type="button" onClick={() => void chooseArchive()} aria-disabled={busy}>
          Importer le registre d’un autre poste
        </button>
      </div>
      <LiveMessages error={error} status={status} onDismissError={() => setError(null)} />
      {preview && (
        <Modal title="Remplacer le registre de ce poste ?" onClose={cancelImport} returnFocusRef={importButton}>
          <div className="modal-body">
            <p>
              <strong>{frenchSpacing(describeArchive(preview))}</strong> (fichier {quoted(preview.fileName)}, {formatFileSize(preview.bytes)}, faite avec
              Vigie {preview.appVersion}).
            </p>
            <p>
              Le registre actuel de ce poste et ses documents seront remplacés par ceux de l’archive. Ils sont gardés de côté dans le
              dossier de Vigie&nbsp;: rien n’est effacé. Vigie redémarrera.
            </p>
            <p>
              {preview.communeSiret
                ? `Les paramètres de la commune (SIRET ${formatIdentifier(preview.communeSiret)}, cadre et objet des demandes, environnement) seront repris de l’archive.`
                : 'Les paramètres des demandes (cadre, objet, environnement) seront repris de l’archive.'}
            </p>
            <p>
              {frenchSpacing(
                preview.tokenStoredHere
                  ? 'Le jeton API Entreprise ne voyage pas dans l’archive : celui déjà enregistré sur ce poste est conservé.'
                  : 'Le jeton API Entreprise ne voyage pas dans l’archive : après le redémarrage, saisissez-le à nouveau dans l’écran Jeton.',
              )}
            </p>
          </div>
          <footer className="modal-footer">
            <button type="button" onClick={cancelImport}>
              Annuler
            </button>
            <button type="button" className="button-danger" onClick={() => void confirmImport()}>
              Remplacer et redémarrer
            </button>
          </footer>
        </Modal>
      )}
    </Section>
  );
}
