import { useId } from 'react';

export interface PageContentsItem {
  /** The id of the section's heading (a `tabIndex={-1}` heading, as `Section` renders). */
  headingId: string;
  title: string;
}

/**
 * « Sur cette page »: a long screen's sections, each a button that brings its section into view
 * and moves the keyboard focus to its heading, so that the next Tab reaches the section's first
 * control. In-memory only: no address, no history, as the rest of the window.
 */
export function PageContents({ items }: { items: readonly PageContentsItem[] }) {
  const titleId = useId();
  const go = (headingId: string) => {
    const heading = document.getElementById(headingId);
    if (!heading) return;
    (heading.closest('section') ?? heading).scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  };
  return (
    <nav className="card page-contents" aria-labelledby={titleId}>
      <h2 id={titleId}>Sur cette page</h2>
      <ul>
        {items.map((item) => (
          <li key={item.headingId}>
            <button type="button" className="button-link" onClick={() => go(item.headingId)}>
              {item.title}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
