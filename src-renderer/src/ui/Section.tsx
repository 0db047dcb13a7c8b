import { useId, type ReactNode } from 'react';
import { frenchSpacing } from './format';

interface SectionProps {
  title: string;
  /**
   * The heading's id, when something moves the focus to it (Paramètres' « Sur cette page »);
   * a generated one otherwise.
   */
  headingId?: string;
  /** What the section is for, in a sentence or two, under the heading. */
  intro?: ReactNode;
  className?: string;
  busy?: boolean;
  children?: ReactNode;
}

/**
 * One card of a screen: a region named by its heading, the heading able to take the focus (a
 * link to the section moves the reading position there), and an optional introduction.
 */
export function Section({ title, headingId, intro, className, busy, children }: SectionProps) {
  const generatedId = useId();
  const id = headingId ?? generatedId;
  return (
    <section className={className ? `card section ${className}` : 'card section'} aria-labelledby={id} aria-busy={busy || undefined}>
      <h2 id={id} tabIndex={-1}>
        {title}
      </h2>
      {intro === undefined ? null : <p className="card-intro">{typeof intro === 'string' ? frenchSpacing(intro) : intro}</p>}
      {children}
    </section>
  );
}
