import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { TokenSummary } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import type { ScreenProps } from '../app/screen-props';
import { useTokenStatus } from '../app/token-status';
import { useAccountPage, type Feedback } from '../app/use-account-page';
import { formatCount, formatDate, formatDateTime, frenchSpacing, quoted } from '../ui/format';
import { LiveMessages } from '../ui/LiveMessages';
import { Modal } from '../ui/Modal';
import { ScreenHeader } from '../ui/ScreenHeader';
import { LifetimeBar } from './LifetimeBar';
import {
  PROTECTION_WORDS,
  REMINDER_THRESHOLDS_DAYS,
  TOKEN_STATE_TONES,
  TOKEN_STATE_WORDS,
  daysLeftWords,
  isBlocking,
  thresholdWords,
} from './token-words';

const DAY_MS = 86_400_000;

type Busy = 'submitting' | 'removing' | null;

/**
 * « Jeton »: what the stored token allows and until when, the form to paste a new one, its
 * removal, and how to renew it. The token itself is never shown: the field is a password
 * field, uncontrolled (React would copy a controlled value into the DOM's value attribute), and
 * emptied as soon as it is sent.
 */
export function TokenScreen({ title }: ScreenProps) {
  const { summary, refresh } = useTokenStatus();
  const account = useAccountPage();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // asked by the vault when the only protection available is a key file on this computer
  const [consentMessage, setConsentMessage] = useState<string | null>(null);
  const [consentGiven, setConsentGiven] = useState(false);
  const [confirmRemoval, setConfirmRemoval] = useState(false);
  const [removed, setRemoved] = useState(0);
  const fieldRef = useRef<HTMLInputElement>(null);
  // the token waiting for the user's consent: in memory only, never in the page
  const pendingToken = useRef<string | null>(null);
  const consentRef = useRef<HTMLInputElement>(null);
  const stateHeadingRef = useRef<HTMLHeadingElement>(null);
  const fieldId = useId();
  const hintId = useId();

  useEffect(() => {
    if (consentMessage !== null) consentRef.current?.focus();
  }, [consentMessage]);

  // after a removal the « Supprimer » button is gone: focus goes to the state it changed
  useEffect(() => {
    if (removed > 0) stateHeadingRef.current?.focus();
  }, [removed]);

  const hasToken = summary !== null && summary.state !== 'absent';
  const submitLabel = hasToken ? 'Remplacer le jeton' : 'Enregistrer le jeton';

  const send = async (token: string, consent: boolean) => {
    if (busy !== null) return;
    setBusy('submitting');
    setError(null);
    setStatus(null);
    try {
      const result = await invoke('token.submit', { token, consentToWeakProtection: consent });
      if (result.status === 'needs-consent') {
        pendingToken.current = token;
        setConsentGiven(false);
        setConsentMessage(result.message);
        return;
      }
      pendingToken.current = null;
      setConsentMessage(null);
      if (result.status === 'stored') {
        setStatus('Le jeton a été vérifié auprès d’API Entreprise et enregistré.');
      } else {
        const kept = hasToken && !result.message.includes('reste en place') ? ' Le jeton déjà enregistré reste en place.' : '';
        setError(`${result.message}${kept}`);
      }
      await refresh();
      // the consent panel whose button had focus is gone
      if (consent) (result.status === 'stored' ? stateHeadingRef.current : fieldRef.current)?.focus();
    } catch (failure) {
      pendingToken.current = null;
      setConsentMessage(null);
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const field = fieldRef.current;
    if (!field || busy !== null) return;
    const token = field.value;
    // emptied whatever the answer: the token is never kept on screen
    field.value = '';
    void send(token, false);
  };

  const submitWithConsent = () => {
    const token = pendingToken.current;
    if (token === null || !consentGiven || busy !== null) return;
    void send(token, true);
  };

  const cancelConsent = () => {
    if (busy !== null) return;
    pendingToken.current = null;
    setConsentMessage(null);
    setConsentGiven(false);
    setStatus('Le jeton n’a pas été enregistré.');
    fieldRef.current?.focus();
  };

  const remove = async () => {
    if (busy !== null) return;
    setBusy('removing');
    setError(null);
    setStatus(null);
    try {
      await invoke('token.remove', {});
      setConfirmRemoval(false);
      setStatus('Le jeton a été supprimé de ce poste.');
      await refresh();
      setRemoved((count) => count + 1);
    } catch (failure) {
      setConfirmRemoval(false);
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="screen">
      <ScreenHeader title={title} />
      <LiveMessages error={error} status={status} onDismissError={() => setError(null)} />

      <div className="token-layout">
        <div className="token-column">
          <section className="card" aria-labelledby="token-state-title">
            <h2 id="token-state-title" ref={stateHeadingRef} tabIndex={-1}>
              État du jeton
            </h2>
            {summary === null ? <p className="muted">Lecture de l’état du jeton…</p> : <TokenState summary={summary} />}
            {hasToken ? (
              <div className="card-actions">
                <button
                  type="button"
                  className="button-danger-quiet"
                  onClick={() => {
                    if (busy === null) setConfirmRemoval(true);
                  }}
                  aria-disabled={busy !== null}
                >
                  Supprimer le jeton
                </button>
              </div>
            ) : null}
          </section>

          {summary ? <Privileges summary={summary} /> : null}
        </div>

        <div className="token-column">
          <section className="card" aria-labelledby="token-form-title">
            <h2 id="token-form-title">{hasToken ? 'Remplacer le jeton' : 'Enregistrer le jeton'}</h2>
            <form className="token-form" onSubmit={submit} noValidate>
              <label htmlFor={fieldId}>Jeton API Entreprise</label>
              <p id={hintId} className="hint">
                Collez ici le jeton copié depuis votre espace API Entreprise. Il reste masqué&nbsp;: Vigie le vérifie auprès d’API
                Entreprise, le chiffre sur ce poste et ne l’affiche plus jamais.
                {hasToken ? ' Le jeton actuel reste en place tant que le nouveau n’a pas été vérifié.' : ''}
              </p>
              <input
                ref={fieldRef}
                id={fieldId}
                name="jeton"
                type="password"
                className="token-input"
                aria-describedby={hintId}
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                maxLength={16_384}
              />
              <div className="form-actions">
                {/* aria-disabled rather than disabled: a disabled button would drop the keyboard focus */}
                <button type="submit" className="button-primary" aria-disabled={busy !== null}>
                  {busy === 'submitting' ? 'Vérification auprès d’API Entreprise…' : submitLabel}
                </button>
              </div>
            </form>

            {consentMessage !== null ? (
              <div className="consent" role="group" aria-labelledby="consent-title">
                <h3 id="consent-title">Protection du jeton sur ce poste</h3>
                <p id="consent-message">{frenchSpacing(consentMessage)}</p>
                <div className="checkbox-field">
                  <input
                    ref={consentRef}
                    id="consent-checkbox"
                    type="checkbox"
                    checked={consentGiven}
                    onChange={(event) => setConsentGiven(event.target.checked)}
                    aria-describedby="consent-message"
                    disabled={busy !== null}
                  />
                  <label htmlFor="consent-checkbox">J’accepte ce niveau de protection</label>
                </div>
                <div className="form-actions">
                  <button
                    type="button"
                    className="button-primary"
                    onClick={submitWithConsent}
                    aria-disabled={!consentGiven || busy !== null}
                  >
                    {busy === 'submitting' ? 'Vérification auprès d’API Entreprise…' : 'Enregistrer avec cette protection'}
                  </button>
                  <button type="button" onClick={cancelConsent} aria-disabled={busy !== null}>
                    Annuler
                  </button>
                </div>
              </div>
            ) : null}
          </section>

          <Reminders
            summary={summary}
            onOpenAccount={() => void account.open()}
            accountBusy={account.busy}
            accountFeedback={account.feedback}
          />
        </div>
      </div>

      {confirmRemoval ? (
        <Modal
          title={'Supprimer le jeton\u00a0?'}
          onClose={() => {
            if (busy !== 'removing') setConfirmRemoval(false);
          }}
        >
          <div className="modal-body">
            <p>
              Le jeton sera effacé de ce poste. Vigie n’interrogera plus API Entreprise tant qu’un nouveau jeton n’aura pas été
              enregistré.
            </p>
            <p className="hint">
              Le jeton reste valable auprès d’API Entreprise&nbsp;: si vous pensez qu’il a été divulgué, demandez sa révocation
              depuis votre espace API Entreprise.
            </p>
          </div>
          <footer className="modal-footer">
            <button type="button" onClick={() => setConfirmRemoval(false)} aria-disabled={busy === 'removing'}>
              Annuler
            </button>
            <button type="button" className="button-danger" onClick={() => void remove()} aria-disabled={busy === 'removing'}>
              {busy === 'removing' ? 'Suppression…' : 'Supprimer le jeton'}
            </button>
          </footer>
        </Modal>
      ) : null}
    </div>
  );
}

function TokenState({ summary }: { summary: TokenSummary }) {
  const tone = TOKEN_STATE_TONES[summary.state];
  // expired, revoked or refused: dates stay useful, days left and the bar would mislead
  const usable = !isBlocking(summary.state);
  return (
    <>
      <div className={`state-panel state-panel-${tone}`}>
        <p className="state-line">
          <span className="fact-label">État&nbsp;:</span>{' '}
          <span className={`state-badge state-${tone}`}>{TOKEN_STATE_WORDS[summary.state]}</span>
        </p>
        <p className="state-message">{frenchSpacing(summary.message)}</p>
      </div>
      {summary.state === 'absent' ? null : (
        <>
          {usable && summary.lifetimeUsed !== null ? (
            <LifetimeBar used={summary.lifetimeUsed} daysLeft={summary.daysLeft} tone={tone} />
          ) : null}
          <dl className="facts facts-grid">
            <Fact label="Intitulé">{summary.title ?? 'non indiqué'}</Fact>
            <Fact label="Identifiant (début)">
              <span className="mono">{summary.shortId ?? 'non indiqué'}</span>
            </Fact>
            <Fact label="Délivré le">{summary.issuedAt ? formatDate(summary.issuedAt) : 'non indiqué'}</Fact>
            <Fact label="Expire le">{summary.expiresAt ? formatDate(summary.expiresAt) : 'non indiqué'}</Fact>
            <Fact label="Jours restants">
              {!usable
                ? 'aucun, le jeton n’est plus utilisable'
                : summary.daysLeft === null
                ? 'non indiqué'
                : daysLeftWords(summary.daysLeft)}
            </Fact>
            <Fact label="Dernière vérification">{summary.lastCheckAt ? formatDateTime(summary.lastCheckAt) : 'jamais'}</Fact>
            <Fact label="Protection sur ce poste" wide>
              {summary.protection ? PROTECTION_WORDS[summary.protection] : 'non indiquée'}
            </Fact>
          </dl>
        </>
      )}
    </>
  );
}

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'fact fact-wide' : 'fact'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Privileges({ summary }: { summary: TokenSummary }) {
  const headingId = useId();
  const allowed = summary.endpoints.filter((endpoint) => endpoint.allowed).length;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Habilitations</h2>
      {summary.state === 'absent' ? (
        <p className="card-empty-text">Les habilitations du jeton s’afficheront ici une fois le jeton enregistré.</p>
      ) : (
        <>
          <p className="card-intro">
            Ce que le jeton permet de demander&nbsp;: {formatCount(allowed)} sur {formatCount(summary.endpoints.length)}.
          </p>
          <ul className="privileges" aria-labelledby={headingId}>
            {summary.endpoints.map((endpoint) => (
              <li key={endpoint.id} className={endpoint.allowed ? 'privilege privilege-yes' : 'privilege privilege-no'}>
                <span className="privilege-glyph" aria-hidden="true">
                  {endpoint.allowed ? '✓' : '✕'}
                </span>
                <span className="privilege-label">{endpoint.label}</span>
                <span className="privilege-state">{endpoint.allowed ? 'habilité' : 'non habilité'}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface RemindersProps {
  summary: TokenSummary | null;
  onOpenAccount(): void;
  accountBusy: boolean;
  accountFeedback: Feedback | null;
}

function Reminders({ summary, onOpenAccount, accountBusy, accountFeedback }: RemindersProps) {
  const headingId = useId();
  const expiresMs = summary?.expiresAt ? new Date(summary.expiresAt).getTime() : null;
  const daysLeft = summary && !isBlocking(summary.state) ? summary.daysLeft : null;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Rappels et renouvellement</h2>
      <p className="card-intro">
        Un jeton API Entreprise est valable 18 mois. À l’approche de son expiration, Vigie affiche un rappel en haut de chaque
        écran, aux échéances suivantes&nbsp;:
      </p>
      <ul className="thresholds">
        {REMINDER_THRESHOLDS_DAYS.map((days) => (
          <li key={days}>
            <span className="threshold-when">{thresholdWords(days)}</span>
            {expiresMs !== null ? <span className="threshold-date">{formatDate(expiresMs - days * DAY_MS)}</span> : null}
            {daysLeft !== null && daysLeft <= days ? <span className="threshold-passed">échéance atteinte</span> : null}
          </li>
        ))}
      </ul>
      <h3>Pour renouveler le jeton</h3>
      <ol className="steps">
        <li>Ouvrez votre espace API Entreprise et demandez un nouveau jeton pour la même habilitation.</li>
        <li>Copiez le nouveau jeton.</li>
        <li>
          Collez-le dans le champ {quoted('Jeton API Entreprise')} de cet écran, puis choisissez{' '}
          {quoted(summary && summary.state !== 'absent' ? 'Remplacer le jeton' : 'Enregistrer le jeton')}.
        </li>
      </ol>
      <div className="card-actions">
        <button type="button" onClick={onOpenAccount} aria-disabled={accountBusy}>
          Ouvrir l’espace API Entreprise
        </button>
      </div>
      {/* present even when empty, so that the answer is read out */}
      <p
        className={accountFeedback?.kind === 'error' ? 'inline-feedback inline-feedback-error' : 'inline-feedback'}
        aria-live="polite"
      >
        {accountFeedback ? frenchSpacing(accountFeedback.text) : null}
      </p>
    </section>
  );
}
