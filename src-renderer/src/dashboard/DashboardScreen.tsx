import { useEffect, useId, useState } from 'react';
import type { ComplianceStateView, DashboardSummary, TokenSummary } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { useNavigate } from '../app/navigation';
import type { ScreenProps } from '../app/screen-props';
import { LifetimeBar } from '../token/LifetimeBar';
import { TOKEN_STATE_TONES, TOKEN_STATE_WORDS, daysLeftWords, isBlocking, type Tone } from '../token/token-words';
import { formatCount, formatDate, formatDateTime, frenchSpacing, plural } from '../ui/format';
import { LiveMessages } from '../ui/LiveMessages';
import { ScreenHeader } from '../ui/ScreenHeader';
import { ChangesList } from '../ui/ChangesList';
import { CatchUpNotice } from '../refresh/CatchUpBanner';

interface ComplianceTile {
  state: ComplianceStateView;
  label: string;
  hint: string;
  tone: Tone;
  /** A shape beside the colour, for those who do not tell the colours apart. */
  glyph: string;
}

/** In the order an agent reads them: what is fine, what needs doing soon, what is wrong, what is not known. */
const COMPLIANCE_TILES: readonly ComplianceTile[] = [
  { state: 'a_jour', label: 'À jour', hint: 'attestation valable', tone: 'good', glyph: '✓' },
  {
    state: 'expire_bientot',
    label: 'Expire sous 30\u00a0jours',
    hint: 'attestation à renouveler bientôt',
    tone: 'warning',
    glyph: '!',
  },
  { state: 'expiree', label: 'Expirée', hint: 'attestation périmée', tone: 'bad', glyph: '✕' },
  { state: 'refus', label: 'Refus de délivrance', hint: 'l’URSSAF a refusé l’attestation', tone: 'bad', glyph: '✕' },
  { state: 'inconnue', label: 'Inconnue / non trouvée', hint: 'aucune attestation connue', tone: 'neutral', glyph: '?' },
  { state: 'non_habilite', label: 'Non habilité', hint: 'le jeton ne permet pas de la demander', tone: 'neutral', glyph: '–' },
];

/** « Tableau de bord »: compliance at a glance, the register's size, the token, the refreshes and what changed. */
export function DashboardScreen({ title }: ScreenProps) {
  const [summary, setSummary] = useState<DashboardSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [reloadToken, setReloadToken] = useState(0);

  // read each time the screen is shown, and again on « Actualiser »
  useEffect(() => {
    let current = true;
    invoke('dashboard.summary', {}).then(
      (answer) => {
        if (!current) return;
        setSummary(answer);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [reloadToken]);

  const reload = () => {
    setLoading(true);
    setReloadToken((token) => token + 1);
  };

  return (
    <div className="screen">
      <ScreenHeader title={title}>
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Actualisation…' : 'Actualiser'}
        </button>
      </ScreenHeader>
      <LiveMessages error={error} status={loading && summary === null ? 'Chargement du tableau de bord…' : null} />
      <CatchUpNotice />
      {summary ? (
        <div className="dashboard" aria-busy={loading}>
          <ComplianceCard summary={summary} />
          <TokenCard token={summary.token} />
          <SuppliersCard summary={summary} />
          <RefreshCard summary={summary} />
          <ChangesCard summary={summary} />
        </div>
      ) : null}
    </div>
  );
}

function ComplianceCard({ summary }: { summary: DashboardSummary }) {
  const headingId = useId();
  const navigate = useNavigate();
  return (
    <section className="card card-wide" aria-labelledby={headingId}>
      <h2 id={headingId}>Conformité des fournisseurs actifs</h2>
      {summary.activeSuppliers === 0 ? (
        <div className="card-empty">
          <p>Aucun fournisseur actif pour l’instant&nbsp;: importez la liste des fournisseurs dans le registre.</p>
          <button type="button" onClick={() => navigate('registre')}>
            Ouvrir le registre
          </button>
        </div>
      ) : (
        <>
          <p className="card-intro">
            D’après la dernière attestation de vigilance URSSAF de chacun des{' '}
            {plural(summary.activeSuppliers, 'fournisseur actif', 'fournisseurs actifs')}.
          </p>
          <ComplianceTiles summary={summary} labelledBy={headingId} />
        </>
      )}
    </section>
  );
}

function ComplianceTiles({ summary, labelledBy }: { summary: DashboardSummary; labelledBy: string }) {
  return (
    <ul className="tiles" aria-labelledby={labelledBy}>
      {COMPLIANCE_TILES.map((tile) => {
        const count = summary.compliance[tile.state] ?? 0;
        return (
          <li key={tile.state} className={`tile tile-${tile.tone}${count === 0 ? ' tile-zero' : ''}`}>
            <span className="tile-glyph" aria-hidden="true">
              {tile.glyph}
            </span>
            <span className="tile-count">{formatCount(count)}</span>
            <span className="tile-label">{tile.label}</span>
            <span className="tile-hint">{tile.hint}</span>
          </li>
        );
      })}
    </ul>
  );
}

function TokenCard({ token }: { token: TokenSummary }) {
  const headingId = useId();
  const navigate = useNavigate();
  const tone = TOKEN_STATE_TONES[token.state];
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Jeton API Entreprise</h2>
      <p className="token-state-line">
        <span className="fact-label">État&nbsp;:</span>{' '}
        <span className={`state-badge state-${tone}`}>{TOKEN_STATE_WORDS[token.state]}</span>
      </p>
      {token.state === 'absent' ? (
        <p>{frenchSpacing(token.message)}</p>
      ) : isBlocking(token.state) ? (
        <>
          {token.title ? <p className="token-title">{token.title}</p> : null}
          <p className="token-problem">{frenchSpacing(token.message)}</p>
        </>
      ) : (
        <>
          {token.title ? <p className="token-title">{token.title}</p> : null}
          {token.expiresAt ? (
            <p className="token-expiry">
              Expire le {formatDate(token.expiresAt)}
              {token.daysLeft !== null ? <span className="token-days"> · {daysLeftWords(token.daysLeft)}</span> : null}
            </p>
          ) : null}
          {token.lifetimeUsed !== null ? <LifetimeBar used={token.lifetimeUsed} daysLeft={token.daysLeft} tone={tone} /> : null}
        </>
      )}
      <div className="card-actions">
        <button type="button" className="button-link" onClick={() => navigate('jeton')}>
          {token.state === 'absent' ? 'Enregistrer un jeton' : 'Voir le jeton'}
        </button>
      </div>
    </section>
  );
}

function SuppliersCard({ summary }: { summary: DashboardSummary }) {
  const headingId = useId();
  const navigate = useNavigate();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Fournisseurs</h2>
      {summary.suppliers === 0 ? (
        <p className="muted-line">Le registre est vide pour l’instant.</p>
      ) : (
        <>
          <p className="big-figure">
            <span className="big-number">{formatCount(summary.activeSuppliers)}</span>{' '}
            {summary.activeSuppliers >= 2 ? 'actifs' : 'actif'}
          </p>
          <p className="muted-line">
            sur {plural(summary.suppliers, 'fournisseur', 'fournisseurs')} au registre
            {summary.suppliers > summary.activeSuppliers
              ? ` (${plural(summary.suppliers - summary.activeSuppliers, 'inactif', 'inactifs')})`
              : ''}
          </p>
        </>
      )}
      <div className="card-actions">
        <button type="button" className="button-link" onClick={() => navigate('registre')}>
          Ouvrir le registre
        </button>
      </div>
    </section>
  );
}

function RefreshCard({ summary }: { summary: DashboardSummary }) {
  const headingId = useId();
  const { lastRun, nextRunAt } = summary;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Mises à jour du registre</h2>
      <dl className="facts">
        <div>
          <dt>Dernière mise à jour</dt>
          <dd>
            {lastRun ? (
              <>
                {formatDateTime(lastRun.finishedAt ?? lastRun.startedAt)}
                <span className="fact-detail">{frenchSpacing(lastRun.summary)}</span>
              </>
            ) : (
              'Aucune mise à jour effectuée pour l’instant'
            )}
          </dd>
        </div>
        <div>
          <dt>Prochaine mise à jour</dt>
          <dd>{nextRunAt ? formatDateTime(nextRunAt) : 'Pas de mise à jour programmée'}</dd>
        </div>
      </dl>
    </section>
  );
}

function ChangesCard({ summary }: { summary: DashboardSummary }) {
  const headingId = useId();
  const { changes, lastRun } = summary;
  return (
    <section className="card card-wide" aria-labelledby={headingId}>
      <h2 id={headingId}>Changements depuis la dernière mise à jour</h2>
      {changes.length === 0 ? (
        <p className="card-empty-text">
          {lastRun
            ? 'Aucun changement depuis la dernière mise à jour.'
            : 'Aucun changement à signaler\u00a0: les changements apparaîtront ici après la première mise à jour.'}
        </p>
      ) : (
        <ChangesList changes={changes} labelledBy={headingId} />
      )}
    </section>
  );
}
