import { useEffect, useState } from 'react';
import type { AppAbout } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { Section } from '../ui/Section';
import { SectionMessage } from '../ui/SectionMessage';

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
export function AboutSection({ headingId }: { headingId?: string }) {
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
    <Section title="À propos de Vigie" headingId={headingId} intro="Ce que le support demande en premier : la version de Vigie et l’emplacement de ses dossiers.">
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
        <SectionMessage error={error} status={error ? null : 'Lecture des informations…'} />
      )}
    </Section>
  );
}
