import { useId } from 'react';
import { DemoModeMessages, useDemoMode } from './demo-mode';
import { useNavigate } from './navigation';

/**
 * A first launch (no token, an empty register): the three ways to start, on the dashboard. The
 * demonstration lets a newcomer see every screen with data before asking for a token.
 */
export function WelcomePanel() {
  const titleId = useId();
  const navigate = useNavigate();
  const { status, busy, enter } = useDemoMode();
  if (!status?.offered && busy !== 'entering') return null;
  return (
    <div className="banners">
      <section className="card welcome" aria-labelledby={titleId} aria-busy={busy === 'entering'}>
        <h2 id={titleId}>Bienvenue dans Vigie</h2>
        <p className="card-intro">
          Pour tenir à jour le registre des tiers de la commune, Vigie a besoin du jeton API Entreprise de la commune et de la liste
          de ses fournisseurs. Vous pouvez aussi découvrir Vigie sur un registre fictif, sans jeton ni réseau, puis revenir ici.
        </p>
        <div className="card-actions">
          <button type="button" className="button-primary" onClick={() => void enter()} aria-disabled={busy !== null}>
            Essayer avec des données de démonstration
          </button>
          <button type="button" onClick={() => navigate('jeton')}>
            Enregistrer mon jeton
          </button>
          <button type="button" onClick={() => navigate('registre')}>
            Importer mon registre
          </button>
        </div>
        <DemoModeMessages />
      </section>
    </div>
  );
}
