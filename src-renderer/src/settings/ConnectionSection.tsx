import { useState } from 'react';
import type { ConnectionReportView, ConnectionStepView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { frenchSpacing } from '../ui/format';
import { Section } from '../ui/Section';
import { SectionMessage } from '../ui/SectionMessage';

/** Said in words (and a sign), never by colour alone. */
const STATUS_WORDS: Record<ConnectionStepView['status'], { sign: string; text: string }> = {
  ok: { sign: '✓', text: 'réussi' },
  echec: { sign: '✗', text: 'échec' },
  ignore: { sign: '–', text: 'non testé' },
};

/** « Tester la connexion »: proxy, address, certificate and API, each explained with what to do. */
export function ConnectionSection({ headingId }: { headingId?: string }) {
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<ConnectionReportView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    if (running) return;
    setRunning(true);
    setError(null);
    setReport(null);
    try {
      setReport(await invoke('connection.test', {}));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setRunning(false);
    }
  };

  let status: string | null = null;
  if (running) status = 'Test en cours…';
  else if (report?.ok) status = 'Connexion réussie : API Entreprise est joignable depuis ce poste.';
  // a failed test is said with the error's sign, as a failed action is
  const failure =
    error ?? (report && !report.ok ? 'La connexion à API Entreprise ne fonctionne pas : le détail de chaque étape est ci-dessous.' : null);

  return (
    <Section
      title="Connexion à API Entreprise"
      headingId={headingId}
      busy={running}
      intro="Vérifie, étape par étape, que ce poste joint API Entreprise : proxy, adresse du service, certificat de sécurité, réponse du service. En cas de problème, chaque étape dit quoi faire ; le jeton n’est jamais affiché."
    >
      <div className="card-actions">
        <button type="button" onClick={() => void run()} aria-disabled={running}>
          Tester la connexion
        </button>
      </div>
      <SectionMessage error={failure} status={status} />
      {report && (
        <ol className="connection-steps" aria-label="Étapes du test de connexion">
          {report.steps.map((step) => (
            <li key={step.id} className={`connection-step-${step.status}`}>
              <strong>
                <span aria-hidden="true">{STATUS_WORDS[step.status].sign} </span>
                {step.label}
                {'\u00a0'}: {STATUS_WORDS[step.status].text}
              </strong>
              <br />
              {frenchSpacing(step.detail)}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
