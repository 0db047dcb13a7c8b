import { useEffect, useRef, useState } from 'react';
import { errorMessage, invoke } from '../bridge/vigie-client';

const POLL_MS = 1_000;

/**
 * « Actualiser maintenant »: every endpoint of this supplier asked again at once, past the
 * server's cache (an explicit action of the user); the screen reloads when the run is over.
 */
export function RefreshNowButton({ id, onDone, onMessage }: { id: number; onDone: () => void; onMessage: (status: string | null, error: string | null) => void }) {
  const [running, setRunning] = useState(false);
  const timer = useRef<number | null>(null);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const poll = () => {
    timer.current = window.setTimeout(() => {
      invoke('refresh.status', {}).then(
        (status) => {
          if (status.running) {
            poll();
            return;
          }
          setRunning(false);
          onMessage(status.lastRun ? `Actualisation terminée : ${status.lastRun.summary}` : 'Actualisation terminée.', null);
          onDone();
        },
        (failure: unknown) => {
          setRunning(false);
          onMessage(null, errorMessage(failure));
        },
      );
    }, POLL_MS);
  };

  const start = async () => {
    if (running) return;
    onMessage(null, null);
    try {
      const status = await invoke('supplier.refreshNow', { id });
      if (status.message !== null) {
        onMessage(null, status.message);
        return;
      }
      setRunning(true);
      onMessage('Actualisation en cours auprès d’API Entreprise…', null);
      poll();
    } catch (failure) {
      onMessage(null, errorMessage(failure));
    }
  };

  return (
    <button type="button" className="button-primary" onClick={() => void start()} aria-disabled={running}>
      {running ? 'Actualisation…' : 'Actualiser maintenant'}
    </button>
  );
}
