// The state of the refreshes as the « Mises à jour » screen sees it. The core pushes nothing: while
// a run is active the status is read again every second, and no more once the run has stopped
// or the screen is left.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RefreshStatus, RunOutcomeView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { plural } from '../ui/format';

export const POLL_INTERVAL_MS = 1_000;
const HISTORY_LIMIT = 20;

export type RefreshAction = 'start' | 'pause' | 'resume' | 'cancel';

const CHANNELS = {
  start: 'refresh.start',
  pause: 'refresh.pause',
  resume: 'refresh.resume',
  cancel: 'refresh.cancel',
} as const satisfies Record<RefreshAction, string>;

export interface RefreshController {
  status: RefreshStatus | null;
  history: RunOutcomeView[] | null;
  loading: boolean;
  /** French, for the alert: a refused action or a failed call. */
  error: string | null;
  /** French, for the status region: a run started, ended, paused. */
  announcement: string | null;
  /** The action asked and not yet seen done (a pause waits for the calls under way). */
  pending: RefreshAction | null;
  act(action: RefreshAction): Promise<void>;
  /** Answers the question about a missed night; resolves with the French refusal, if any. */
  answerCatchUp(start: boolean): Promise<string | null>;
  /** The schedule changed: read the status again (next run, window). */
  reload(): void;
  dismissError(): void;
}

/** What to say when a run that was working stops. */
function endAnnouncement(previous: RefreshStatus, next: RefreshStatus): string {
  if (next.paused) return 'Mise à jour en pause : choisissez « Reprendre » pour la continuer.';
  const runId = previous.progress?.runId;
  const lastRun = next.lastRun;
  if (lastRun && lastRun.id === runId) {
    return lastRun.state === 'completed' ? `Mise à jour terminée. ${lastRun.summary}` : lastRun.summary;
  }
  if (next.progress?.state === 'stopped_token') return 'La mise à jour s’est arrêtée : le jeton API Entreprise a été refusé.';
  return 'La mise à jour s’est arrêtée.';
}

export function useRefresh(): RefreshController {
  const [status, setStatus] = useState<RefreshStatus | null>(null);
  const [history, setHistory] = useState<RunOutcomeView[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [pending, setPending] = useState<RefreshAction | null>(null);
  const latest = useRef<RefreshStatus | null>(null);
  const mounted = useRef(false);
  const busy = useRef(false);

  const loadHistory = useCallback(() => {
    invoke('refresh.history', { limit: HISTORY_LIMIT }).then(
      (runs) => {
        if (mounted.current) setHistory(runs);
      },
      (failure: unknown) => {
        if (mounted.current) setError(errorMessage(failure));
      },
    );
  }, []);

  /** Takes a fresh status in, and says what changed. */
  const apply = useCallback(
    (next: RefreshStatus, action: RefreshAction | null) => {
      const previous = latest.current;
      latest.current = next;
      setStatus(next);
      if (next.message !== null) setError(next.message);
      if (!next.running) setPending(null);
      const wasRunning = previous?.running ?? false;
      if (!wasRunning && next.running) {
        if (action === 'resume') setAnnouncement('Mise à jour reprise.');
        else {
          const total = next.progress?.total ?? 0;
          setAnnouncement(`Mise à jour lancée : ${plural(total, 'vérification prévue', 'vérifications prévues')}.`);
        }
        loadHistory();
      } else if (wasRunning && previous && !next.running) {
        setAnnouncement(endAnnouncement(previous, next));
        loadHistory();
      }
    },
    [loadHistory],
  );

  useEffect(() => {
    mounted.current = true;
    Promise.all([invoke('refresh.status', {}), invoke('refresh.history', { limit: HISTORY_LIMIT })]).then(
      ([first, runs]) => {
        if (!mounted.current) return;
        latest.current = first;
        setStatus(first);
        setHistory(runs);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!mounted.current) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => {
      mounted.current = false;
    };
  }, []);

  // one read per second while a run works: the next read is planned once the previous answered
  const running = status?.running ?? false;
  useEffect(() => {
    if (!running) return;
    let alive = true;
    let timer: number | undefined;
    const plan = () => {
      timer = window.setTimeout(() => {
        invoke('refresh.status', {}).then(
          (next) => {
            if (!alive) return;
            apply(next, null);
            if (next.running) plan();
          },
          (failure: unknown) => {
            if (!alive) return;
            setError(errorMessage(failure));
            plan();
          },
        );
      }, POLL_INTERVAL_MS);
    };
    plan();
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [running, apply]);

  const act = useCallback(
    async (action: RefreshAction) => {
      if (busy.current) return;
      busy.current = true;
      setPending(action);
      setError(null);
      try {
        const next = await invoke(CHANNELS[action], {});
        if (!mounted.current) return;
        apply(next, action);
        // a pause or a cancel is done when the calls under way have finished: the polling sees it
        if (!next.running || action === 'start' || action === 'resume') setPending(null);
        if (action === 'cancel' || action === 'pause') loadHistory();
      } catch (failure) {
        if (!mounted.current) return;
        setError(errorMessage(failure));
        setPending(null);
      } finally {
        busy.current = false;
      }
    },
    [apply, loadHistory],
  );

  const answerCatchUp = useCallback(
    async (start: boolean): Promise<string | null> => {
      const next = await invoke('refresh.answerCatchUp', { start });
      if (!mounted.current) return null;
      apply({ ...next, message: null }, start ? 'start' : null);
      if (!start) setAnnouncement('La mise à jour manquée ne sera pas faite : la prochaine aura lieu à l’heure prévue.');
      return next.message;
    },
    [apply],
  );

  const reload = useCallback(() => {
    invoke('refresh.status', {}).then(
      (next) => {
        if (mounted.current) apply(next, null);
      },
      (failure: unknown) => {
        if (mounted.current) setError(errorMessage(failure));
      },
    );
  }, [apply]);

  const dismissError = useCallback(() => setError(null), []);

  return { status, history, loading, error, announcement, pending, act, answerCatchUp, reload, dismissError };
}
