import { useEffect, useId, useState } from 'react';
import type { AppSettingsView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { frenchSpacing } from '../ui/format';
import { Section } from '../ui/Section';
import { SectionMessage } from '../ui/SectionMessage';

type StartupSetting = 'keepRunningInTray' | 'openAtLogin';

const SAVED: Record<StartupSetting, (on: boolean) => string> = {
  keepRunningInTray: (on) =>
    on
      ? 'Enregistré : Vigie restera actif dans la zone de notification quand vous fermerez la fenêtre.'
      : 'Enregistré : fermer la fenêtre quittera Vigie.',
  openAtLogin: (on) =>
    on ? 'Enregistré : Vigie démarrera à l’ouverture de votre session.' : 'Enregistré : Vigie ne démarrera plus avec votre session.',
};

/** « Démarrage et fermeture »: whether Vigie stays running for the night, and starts with the session. Saved at each change. */
export function StartupSection({ headingId }: { headingId?: string }) {
  const id = useId();
  const [values, setValues] = useState<Pick<AppSettingsView, StartupSetting> | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    invoke('settings.get', {}).then(
      (answer) => {
        if (current) setValues({ keepRunningInTray: answer.keepRunningInTray, openAtLogin: answer.openAtLogin });
      },
      (failure: unknown) => {
        if (current) setError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, []);

  const save = async (setting: StartupSetting, on: boolean) => {
    if (saving || !values) return;
    const before = values;
    // the box follows the click at once; it goes back if the change could not be saved
    setValues({ ...values, [setting]: on });
    setSaving(true);
    setError(null);
    setStatus(null);
    try {
      const saved = await invoke('settings.update', { [setting]: on });
      setValues({ keepRunningInTray: saved.keepRunningInTray, openAtLogin: saved.openAtLogin });
      setStatus(SAVED[setting](saved[setting]));
    } catch (failure) {
      setValues(before);
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title="Démarrage et fermeture" headingId={headingId} intro="Chaque case est enregistrée dès qu’elle change.">
      {values ? (
        <>
          <div className="checkbox-field">
            <input
              id={`${id}-tray`}
              type="checkbox"
              checked={values.keepRunningInTray}
              onChange={(event) => void save('keepRunningInTray', event.target.checked)}
              aria-describedby={`${id}-tray-hint`}
            />
            <label htmlFor={`${id}-tray`}>Rester actif pour la mise à jour de nuit</label>
          </div>
          <p id={`${id}-tray-hint`} className="hint hint-indented">
            {frenchSpacing(
              'Fermer la fenêtre laisse Vigie actif dans la zone de notification (près de l’horloge) : la mise à jour de nuit a lieu, et l’icône de Vigie rouvre la fenêtre ou quitte Vigie. Sans cette option, fermer la fenêtre quitte Vigie et la nuit passe sans mise à jour.',
            )}
          </p>
          <div className="checkbox-field">
            <input
              id={`${id}-login`}
              type="checkbox"
              checked={values.openAtLogin}
              onChange={(event) => void save('openAtLogin', event.target.checked)}
              aria-describedby={`${id}-login-hint`}
            />
            <label htmlFor={`${id}-login`}>Lancer Vigie à l’ouverture de la session</label>
          </div>
          <p id={`${id}-login-hint`} className="hint hint-indented">
            {values.keepRunningInTray
              ? frenchSpacing(
                  'Vigie démarre avec votre session, directement dans la zone de notification, sans ouvrir de fenêtre : personne n’a à penser à l’ouvrir pour la nuit.',
                )
              : 'Vigie démarre avec votre session et ouvre sa fenêtre.'}
          </p>
        </>
      ) : null}
      <SectionMessage error={error} status={values === null && error === null ? 'Lecture des réglages de démarrage…' : status} />
    </Section>
  );
}
