import { useCallback, useRef, useState } from 'react';
import { errorMessage, invoke } from '../bridge/vigie-client';

export interface Feedback {
  kind: 'success' | 'error';
  /** French, shown as is. */
  text: string;
}

/** « Ouvrir l’espace API Entreprise »: the main process opens its fixed address in the system browser. */
export function useAccountPage(): { open(): Promise<void>; feedback: Feedback | null; busy: boolean } {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const open = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setFeedback(null);
    try {
      await invoke('token.openAccountPage', {});
      setFeedback({ kind: 'success', text: 'L’espace API Entreprise s’ouvre dans votre navigateur.' });
    } catch (failure) {
      setFeedback({ kind: 'error', text: errorMessage(failure) });
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { open, feedback, busy };
}
