import { DemoModeMessages, useDemoMode } from '../app/demo-mode';
import { Section } from '../ui/Section';

/** « Démonstration »: a fictitious register to try every screen, entered and left from here. */
export function DemoSection({ headingId }: { headingId?: string }) {
  const { status, busy, enter, leave } = useDemoMode();
  const active = status?.active === true;
  return (
    <Section title="Démonstration" headingId={headingId} className="demo-section" busy={busy !== null}>
      {active ? (
        <p className="card-intro">
          Vigie montre en ce moment un registre fictif de quelques centaines de fournisseurs, servi par l’API locale de démonstration
          lancée sur ce poste. Les paramètres ci-dessus sont ceux de la démonstration. En la quittant, vous retrouvez votre registre,
          votre jeton et vos paramètres tels que vous les aviez laissés.
        </p>
      ) : (
        <p className="card-intro">
          Essayez chaque écran de Vigie sur un registre fictif de quelques centaines de fournisseurs, avec leurs attestations et leurs
          PDF, sans jeton et sans réseau. La démonstration a sa propre base, dans le dossier «&nbsp;demonstration&nbsp;» des données
          de Vigie&nbsp;: votre registre, votre jeton et vos paramètres ne sont jamais touchés.
        </p>
      )}
      <div className="card-actions">
        {active ? (
          <button type="button" className="button-primary" onClick={() => void leave()} aria-disabled={busy !== null}>
            Quitter la démonstration
          </button>
        ) : (
          <button type="button" onClick={() => void enter()} aria-disabled={busy !== null}>
            Essayer avec des données de démonstration
          </button>
        )}
      </div>
      <DemoModeMessages />
    </Section>
  );
}
