import { useEffect, useId, useRef, useState } from 'react';
import type { IpcResponse } from '../../../src-main/common/ipc-contract';
import { invoke } from '../bridge/vigie-client';
import { formatDateTime, frenchSpacing } from '../ui/format';
import { SCREEN_TITLE_ID } from '../ui/ScreenHeader';

type RestartNotice = NonNullable<IpcResponse<'app.restartNotice'>>;

/**
 * After a restart that replaced the register (a backup restored, another computer's data taken
 * over): how it went, once, until the user closes it. A failure says that the register from before
 * is the one open, unchanged.
 */
export function RestartNoticeBanner() {
  const titleId = useId();
  const [notice, setNotice] = useState<RestartNotice | null>(null);
  const asked = useRef(false);

  useEffect(() => {
    // the core hands the notice out once: ask once, even when React runs effects twice
    if (asked.current) return;
    asked.current = true;
    invoke('app.restartNotice', {})
      .then(setNotice)
      .catch(() => setNotice(null));
  }, []);

  if (!notice) return null;
  const failed = notice.outcome === 'failure';
  const close = () => {
    setNotice(null);
    document.getElementById(SCREEN_TITLE_ID)?.focus();
  };
  return (
    <div className="banners">
      <section className={`banner ${failed ? 'banner-bad' : 'banner-done'}`} aria-labelledby={titleId} role={failed ? 'alert' : 'status'}>
        <span className="banner-icon" aria-hidden="true">
          {failed ? '✕' : '✓'}
        </span>
        <div className="banner-text">
          <h2 id={titleId}>{failed ? 'Registre non remplacé' : 'Registre remplacé'}</h2>
          <p>{frenchSpacing(notice.message)}</p>
          <p>Le {formatDateTime(notice.at)}.</p>
        </div>
        <div className="banner-actions">
          <button type="button" onClick={close}>
            Fermer ce message
          </button>
        </div>
      </section>
    </div>
  );
}
