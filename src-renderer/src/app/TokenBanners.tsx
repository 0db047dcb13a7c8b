import { useId, useState } from 'react';
import type { TokenReminder, TokenSummary } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { BLOCKING_TITLES, isBlocking } from '../token/token-words';
import { frenchSpacing } from '../ui/format';
import { SCREEN_TITLE_ID } from '../ui/ScreenHeader';
import { useNavigate } from './navigation';
import type { ScreenId } from './screen-props';
import { useTokenStatus } from './token-status';
import { useAccountPage } from './use-account-page';

const TOKEN_SCREEN: ScreenId = 'jeton';

/**
 * Shown above every screen: the expiry reminder until it is acknowledged, and an alert while
 * Vigie cannot call API Entreprise (no token, expired, revoked, refused). The area is a polite
 * live region, so a banner that appears is read out once.
 */
export function TokenBanners({ current }: { current: ScreenId }) {
  const { summary, reminder, error } = useTokenStatus();
  const blocking = summary !== null && isBlocking(summary.state);
  return (
    <div className="banners" aria-live="polite">
      {/* once the token cannot be used at all, the alert below says more than the reminder */}
      {reminder && !blocking ? <ReminderBanner reminder={reminder} /> : null}
      {/* the Jeton screen shows the same state, with the means to fix it */}
      {summary && blocking && current !== TOKEN_SCREEN ? <TokenProblemBanner summary={summary} /> : null}
      {error ? (
        <section className="banner banner-bad" aria-label="État du jeton illisible">
          <p className="banner-text">Impossible de lire l’état du jeton API Entreprise&nbsp;: {frenchSpacing(error)}</p>
        </section>
      ) : null}
    </div>
  );
}

function ReminderBanner({ reminder }: { reminder: TokenReminder }) {
  const titleId = useId();
  const { refresh } = useTokenStatus();
  const account = useAccountPage();
  const [problem, setProblem] = useState<string | null>(null);
  const [acknowledging, setAcknowledging] = useState(false);

  const acknowledge = async () => {
    if (acknowledging) return;
    setAcknowledging(true);
    setProblem(null);
    try {
      await invoke('token.acknowledgeReminder', { thresholdDays: reminder.thresholdDays });
      await refresh();
      // the button that had focus is gone with the banner: the screen's title takes it
      document.getElementById(SCREEN_TITLE_ID)?.focus();
    } catch (failure) {
      setProblem(errorMessage(failure));
      setAcknowledging(false);
    }
  };

  const feedback = problem ? { kind: 'error' as const, text: problem } : account.feedback;
  return (
    <section className="banner banner-warning" aria-labelledby={titleId}>
      <span className="banner-icon" aria-hidden="true">
        !
      </span>
      <div className="banner-text">
        <h2 id={titleId}>{frenchSpacing(reminder.title)}</h2>
        <p>{frenchSpacing(reminder.message)}</p>
        {feedback ? (
          <p className={feedback.kind === 'error' ? 'banner-feedback banner-feedback-error' : 'banner-feedback'}>
            {frenchSpacing(feedback.text)}
          </p>
        ) : null}
      </div>
      <div className="banner-actions">
        <button type="button" className="button-primary" onClick={() => void account.open()} aria-disabled={account.busy}>
          Ouvrir l’espace API Entreprise
        </button>
        <button type="button" onClick={() => void acknowledge()} aria-disabled={acknowledging}>
          J’ai compris
        </button>
      </div>
    </section>
  );
}

function TokenProblemBanner({ summary }: { summary: TokenSummary }) {
  const titleId = useId();
  const navigate = useNavigate();
  if (!isBlocking(summary.state)) return null;
  return (
    <section className="banner banner-bad" aria-labelledby={titleId}>
      <span className="banner-icon" aria-hidden="true">
        ×
      </span>
      <div className="banner-text">
        <h2 id={titleId}>{BLOCKING_TITLES[summary.state]}</h2>
        <p>{frenchSpacing(summary.message)}</p>
      </div>
      <div className="banner-actions">
        <button type="button" className="button-primary" onClick={() => navigate(TOKEN_SCREEN)}>
          Ouvrir l’écran Jeton
        </button>
      </div>
    </section>
  );
}
