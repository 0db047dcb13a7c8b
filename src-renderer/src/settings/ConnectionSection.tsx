import { useId, useState } from 'react';
import type { ConnectionReportView, ConnectionStepView } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { frenchSpacing } from '../ui/format';

/** Said in words (and a sign), never by colour alone. */
const STATUS_WORDS: Record<ConnectionStepView['status'], { sign: string; text: string }> = {
  ok: { sign: '✓', text: 'réussi' },
  echec: { sign: '✗', text: 'échec' },
  ignore: { sign: '–', text: 'non testé' },
};

/** « Tester la connexion »: proxy, address, certificate and API, each explained with what to do. */
export function ConnectionSection() {
  const headingId = useId();
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

  let status = '';
  if (running) status = 'Test en cours…';
  else if (error) status = error;
  else if (report) {
    status = report.ok
      ? 'Connexion réussie : API Entreprise est joignable depuis ce poste.'
      : 'La connexion à API Entreprise ne fonctionne pas : le détail de chaque étape est ci-dessous.';
  }

  return (
    <section className="card backups" aria-labelledby={headingId}>
      <h2 id={headingId}>Connexion à API Entreprise</h2>
      <p className="card-intro">
        {frenchSpacing(
          'Vérifie, étape par étape, que ce poste joint API Entreprise : proxy, adresse du service, certificat de sécurité, réponse du service. En cas de problème, chaque étape dit quoi faire ; le jeton n’est jamais affiché.',
        )}
      </p>
      <button type="button" className="button-quiet" onClick={() => void run()} aria-disabled={running}>
        Tester la connexion
      </button>
      {/* one polite region: the settings form above already owns the screen's alert region */}
      <p className={error || (report && !report.ok) ? 'backups-message backups-error' : 'backups-message'} aria-live="polite">
        {frenchSpacing(status)}
      </p>
      {report && (
        <ol className="connection-steps" aria-label="Étapes du test de connexion">
          {report.steps.map((step) => (
            <li key={step.id}>
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
    </section>
  );
}
