import { frenchSpacing } from './format';

interface SectionMessageProps {
  /** French, when the section's last action failed: shown with a sign, not by its colour alone. */
  error: string | null;
  /** French: what is going on, or how the last action ended. */
  status: string | null;
}

/**
 * The outcome of a section's action, in one polite live region always in the page (screen readers
 * only announce changes to regions that already existed). A screen's own alert and status regions
 * stay the only ones with those roles.
 */
export function SectionMessage({ error, status }: SectionMessageProps) {
  return (
    <p className={error ? 'section-message section-message-error' : 'section-message'} aria-live="polite">
      {frenchSpacing(error ?? status ?? '')}
    </p>
  );
}
