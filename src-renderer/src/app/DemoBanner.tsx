import { useId } from 'react';
import { frenchSpacing } from '../ui/format';
import { useDemoMode } from './demo-mode';

/**
 * Above every screen while the demonstration is shown: the word « DÉMONSTRATION » in the page (not
 * a colour alone), what it means for the user's own data, and the way back.
 */
export function DemoBanner() {
  const titleId = useId();
  const { status, busy, error, leave } = useDemoMode();
  if (!status?.active) return null;
  return (
    <div className="banners">
      <section className="banner banner-warning demo-banner" aria-labelledby={titleId}>
        <span className="banner-icon" aria-hidden="true">
          D
        </span>
        <div className="banner-text">
          <h2 id={titleId}>DÉMONSTRATION</h2>
          <p>
            Données fictives, servies par l’API locale de démonstration sur ce poste, sans réseau. Votre registre, votre jeton et
            vos paramètres ne sont pas touchés.
          </p>
          {error ? (
            <p role="alert" className="banner-feedback banner-feedback-error">
              {frenchSpacing(error)}
            </p>
          ) : null}
        </div>
        <div className="banner-actions">
          <button type="button" className="button-primary" onClick={() => void leave()} aria-disabled={busy !== null}>
            {busy === 'leaving' ? 'Retour à vos données…' : 'Quitter la démonstration'}
          </button>
        </div>
      </section>
    </div>
  );
}
