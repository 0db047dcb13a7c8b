// « La mise à jour de la nuit du 12/01/2027 n’a pas eu lieu : Vigie était fermé. » — asked at
// start-up when the user chose « Me demander »; « Plus tard » lets that night go.
import { useEffect, useId, useRef, useState } from 'react';
import type { RefreshStatus } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { formatDay } from '../ui/dates';
import { frenchSpacing } from '../ui/format';

type PendingCatchUp = NonNullable<RefreshStatus['pendingCatchUp']>;

interface CatchUpBannerProps {
  pending: PendingCatchUp;
  /** Sends the answer; resolves with a French message when it was refused (no token...). */
  onAnswer(start: boolean): Promise<string | null>;
}

export function CatchUpBanner({ pending, onAnswer }: CatchUpBannerProps) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const answer = async (start: boolean) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      setProblem(await onAnswer(start));
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="banner banner-warning catch-up-banner" aria-labelledby={titleId}>
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <div className="banner-text">
        <h2 id={titleId}>Mise à jour de nuit manquée</h2>
        <p>{frenchSpacing(`La mise à jour de la nuit du ${formatDay(pending.missedNight)} n’a pas eu lieu : Vigie était fermé.`)}</p>
        {problem ? <p className="banner-feedback banner-feedback-error">{frenchSpacing(problem)}</p> : null}
      </div>
      <div className="banner-actions">
        <button type="button" className="button-primary" onClick={() => void answer(true)} aria-disabled={busy}>
          Lancer maintenant<span className="visually-hidden"> la mise à jour manquée</span>
        </button>
        <button type="button" onClick={() => void answer(false)} aria-disabled={busy}>
          Plus tard
        </button>
      </div>
    </section>
  );
}

/** The banner where no refresh status is at hand (the dashboard): it reads and answers on its own. */
export function CatchUpNotice() {
  const [pending, setPending] = useState<PendingCatchUp | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);

  // the banner went with the button that had the focus: the focus goes to what replaced it
  useEffect(() => {
    if (outcome !== null && document.activeElement === document.body) outcomeRef.current?.focus();
  }, [outcome]);

  useEffect(() => {
    let current = true;
    invoke('refresh.status', {}).then(
      (status) => {
        if (current) setPending(status.pendingCatchUp);
      },
      // the dashboard says it when the core cannot be reached; this notice stays out of the way
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <div className="catch-up-notice" aria-live="polite">
      {pending ? (
        <CatchUpBanner
          pending={pending}
          onAnswer={async (start) => {
            const status = await invoke('refresh.answerCatchUp', { start });
            setPending(status.pendingCatchUp);
            if (status.message === null) {
              setOutcome(start ? 'Mise à jour lancée : suivez-la dans l’écran Mises à jour.' : 'La mise à jour manquée ne sera pas faite.');
            }
            return status.message;
          }}
        />
      ) : outcome ? (
        <p ref={outcomeRef} className="section-message" tabIndex={-1}>
          {frenchSpacing(outcome)}
        </p>
      ) : null}
    </div>
  );
}
