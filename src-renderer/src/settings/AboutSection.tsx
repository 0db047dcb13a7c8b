import { useEffect, useId, useState } from 'react';
import type { AppAbout } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { frenchSpacing } from '../ui/format';

function runtimeWords(runtime: AppAbout['runtime']): string {
  return [
    runtime.electron ? `Electron ${runtime.electron}` : null,
    runtime.chrome ? `Chromium ${runtime.chrome}` : null,
    `Node.js ${runtime.node}`,
  ]
    .filter((part): part is string => part !== null)
    .join(', ');
}

/** « À propos de Vigie »: the version and the folders a support call asks for first. */
export function AboutSection() {
  const headingId = useId();
  const [about, setAbout] = useState<AppAbout | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    invoke('app.about', {}).then(
      (answer) => {
        if (current) setAbout(answer);
      },
      (failure: unknown) => {
        if (current) setError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>À propos de Vigie</h2>
      {about ? (
        <dl className="facts facts-grid">
          <div>
            <dt>Version</dt>
            <dd>
              {about.name} {about.version}
            </dd>
          </div>
          <div>
            <dt>Logiciels utilisés</dt>
            <dd>{runtimeWords(about.runtime)}</dd>
          </div>
          <div className="fact-wide">
            <dt>Dossier des données (registre, documents, sauvegardes)</dt>
            <dd className="mono">{about.dataFolder}</dd>
          </div>
          <div className="fact-wide">
            <dt>Journaux techniques</dt>
            <dd className="mono">{about.logsFolder}</dd>
          </div>
        </dl>
      ) : (
        <p className="card-intro">{error ? frenchSpacing(error) : 'Lecture des informations…'}</p>
      )}
    </section>
  );
}
