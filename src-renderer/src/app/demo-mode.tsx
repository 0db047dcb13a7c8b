// The demonstration mode as every part of the window sees it: whether it is shown, whether to
// offer it (a first launch), and the means to enter and leave it. After a change of mode the shell
// shows the dashboard again and remounts every screen, so that nothing of the other register stays.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DemoStatus } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { frenchSpacing } from '../ui/format';

export interface DemoMode {
  /** null until the first answer. */
  status: DemoStatus | null;
  /** A change of mode under way (entering builds the register: a few seconds). */
  busy: 'entering' | 'leaving' | null;
  /** French, when the last change failed. */
  error: string | null;
  enter(): Promise<void>;
  leave(): Promise<void>;
}

const DemoModeContext = createContext<DemoMode | null>(null);

interface DemoModeProviderProps {
  /** Re-read on each change (a screen change: a token stored or a register imported ends the offer). */
  refreshKey: string;
  /** Called once the core behind the window changed. */
  onSwitched: () => void;
  children: ReactNode;
}

export function DemoModeProvider({ refreshKey, onSwitched, children }: DemoModeProviderProps) {
  const [status, setStatus] = useState<DemoStatus | null>(null);
  const [busy, setBusy] = useState<DemoMode['busy']>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    invoke('demo.status', {}).then(
      (answer) => {
        if (request === latest.current) setStatus(answer);
      },
      // without an answer nothing is offered, and the real register stays shown
      () => undefined,
    );
  }, [refreshKey]);

  const change = useCallback(
    async (kind: 'entering' | 'leaving') => {
      if (busy) return;
      setBusy(kind);
      setError(null);
      const request = ++latest.current;
      try {
        const answer = await invoke(kind === 'entering' ? 'demo.enter' : 'demo.leave', {});
        if (request === latest.current) setStatus(answer);
        onSwitched();
      } catch (failure) {
        setError(errorMessage(failure));
      } finally {
        setBusy(null);
      }
    },
    [busy, onSwitched],
  );

  const value = useMemo<DemoMode>(
    () => ({ status, busy, error, enter: () => change('entering'), leave: () => change('leaving') }),
    [status, busy, error, change],
  );
  return <DemoModeContext value={value}>{children}</DemoModeContext>;
}

export function useDemoMode(): DemoMode {
  const mode = useContext(DemoModeContext);
  if (!mode) throw new Error('useDemoMode must be used inside DemoModeProvider');
  return mode;
}

const BUSY_MESSAGES = {
  entering: 'Préparation de la démonstration : quelques secondes…',
  leaving: 'Retour à vos données…',
} as const;

/**
 * The progress of a change (a polite status, always in the page so that it is read out) and its
 * failure (an alert, inserted when there is one: a screen's own alert stays the only one otherwise).
 */
export function DemoModeMessages() {
  const { busy, error } = useDemoMode();
  return (
    <div className="messages">
      {error ? (
        <div role="alert" className="alert">
          {frenchSpacing(error)}
        </div>
      ) : null}
      <div role="status" className={busy ? 'status' : 'status status-empty'}>
        {busy ? frenchSpacing(BUSY_MESSAGES[busy]) : null}
      </div>
    </div>
  );
}
