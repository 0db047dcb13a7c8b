import type { ReactNode } from 'react';

/** The id of every screen's <h1>: the <main> landmark is named by it, and focus moves to it on navigation. */
export const SCREEN_TITLE_ID = 'titre-ecran';

/** A screen's title and, beside it, its main actions. */
export function ScreenHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-head">
      <h1 id={SCREEN_TITLE_ID} tabIndex={-1}>
        {title}
      </h1>
      {children ? <div className="actions">{children}</div> : null}
    </div>
  );
}
