import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AppSettingsView } from '../../../src-main/common/ipc-contract';
import { checkIdentifier, formatIdentifier, normalizeIdentifier } from '../../../src-main/common/identifiers';
import { errorMessage, invoke } from '../bridge/vigie-client';
import type { ScreenProps } from '../app/screen-props';
import { LiveMessages } from '../ui/LiveMessages';
import { PageContents, type PageContentsItem } from '../ui/PageContents';
import { ScreenHeader } from '../ui/ScreenHeader';
import { Section } from '../ui/Section';
import { BackupsSection } from './BackupsSection';
import { DemoSection } from './DemoSection';
import { TransferSection } from './TransferSection';
import { ConnectionSection } from './ConnectionSection';
import { DataFolderSection } from './DataFolderSection';
import { StartupSection } from './StartupSection';
import { AboutSection } from './AboutSection';
import { RefreshPolicySection } from './RefreshPolicySection';
import { frenchSpacing, plural, quoted } from '../ui/format';

type Environment = AppSettingsView['apiEnvironment'];

/** The API refuses an object of 50 characters or more (after trimming). */
const OBJECT_MAX = 49;
const CONTEXT_MAX = 250;

const ENVIRONMENTS: readonly { value: Environment; label: string; description: string }[] = [
  {
    value: 'production',
    label: 'Production',
    description: 'Le vrai service API Entreprise, avec le jeton de la commune. C’est le choix habituel.',
  },
  {
    value: 'staging',
    label: 'Recette (staging)',
    description: 'Le service d’essai d’API Entreprise\u00a0: données fictives, jeton de recette.',
  },
  {
    value: 'local',
    label: 'API locale de démonstration',
    description: 'Une imitation d’API Entreprise lancée sur ce poste, pour se former sans rien demander au vrai service.',
  },
];

/**
 * The sections in the order a town hall needs them: who the commune is and the night run first,
 * moving to another computer, the data folder, the demonstration and the versions last. Each
 * heading id is where « Sur cette page » moves the focus.
 */
const SECTIONS = [
  { headingId: 'parametres-commune', title: 'Réglages de la commune', Section: CommuneSection },
  { headingId: 'parametres-nuit', title: 'Mise à jour de nuit', Section: RefreshPolicySection },
  { headingId: 'parametres-demarrage', title: 'Démarrage et fermeture', Section: StartupSection },
  { headingId: 'parametres-connexion', title: 'Connexion à API Entreprise', Section: ConnectionSection },
  { headingId: 'parametres-sauvegardes', title: 'Sauvegardes', Section: BackupsSection },
  { headingId: 'parametres-poste', title: 'Changer de poste', Section: TransferSection },
  { headingId: 'parametres-dossier', title: 'Dossier des données', Section: DataFolderSection },
  { headingId: 'parametres-demonstration', title: 'Démonstration', Section: DemoSection },
  { headingId: 'parametres-a-propos', title: 'À propos de Vigie', Section: AboutSection },
] as const satisfies readonly (PageContentsItem & { Section: (props: { headingId: string }) => React.JSX.Element })[];

/** « Paramètres »: the commune's settings, the night run, and the care of the data, one section each. */
export function SettingsScreen({ title }: ScreenProps) {
  return (
    <div className="screen">
      <ScreenHeader title={title} />
      <div className="settings-page">
        <PageContents items={SECTIONS} />
        {SECTIONS.map(({ headingId, Section: SettingsSection }) => (
          <SettingsSection key={headingId} headingId={headingId} />
        ))}
      </div>
    </div>
  );
}

/** « Réglages de la commune »: who the commune is for API Entreprise, why it asks, which API it talks to. */
function CommuneSection({ headingId }: { headingId: string }) {
  const [settings, setSettings] = useState<AppSettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    invoke('settings.get', {}).then(
      (answer) => {
        if (current) setSettings(answer);
      },
      (failure: unknown) => {
        if (current) setLoadError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <Section title="Réglages de la commune" headingId={headingId}>
      {settings ? (
        <SettingsForm initial={settings} />
      ) : (
        <LiveMessages error={loadError} status={loadError ? null : 'Lecture des paramètres…'} />
      )}
    </Section>
  );
}

type FieldName = 'communeSiret' | 'defaultContext' | 'defaultObject' | 'localApiUrl';

/** The SIRET as people write it, « 130 025 265 00013 »: easier to compare with a paper. */
function forEditing(settings: AppSettingsView): AppSettingsView {
  return { ...settings, communeSiret: formatIdentifier(settings.communeSiret) };
}

function SettingsForm({ initial }: { initial: AppSettingsView }) {
  const [values, setValues] = useState<AppSettingsView>(() => forEditing(initial));
  // errors of a field show once it was left, or once « Enregistrer » was tried
  const [left, setLeft] = useState<ReadonlySet<FieldName>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const id = useId();
  const refs = {
    communeSiret: useRef<HTMLInputElement>(null),
    defaultContext: useRef<HTMLInputElement>(null),
    defaultObject: useRef<HTMLInputElement>(null),
    localApiUrl: useRef<HTMLInputElement>(null),
  };

  const shown = (field: FieldName) => submitted || left.has(field);
  const leave = (field: FieldName) => setLeft((previous) => (previous.has(field) ? previous : new Set(previous).add(field)));
  const change = <K extends keyof AppSettingsView>(field: K, value: AppSettingsView[K]) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    setStatus(null);
  };

  // the SIRET is checked as it is typed, with the same rules as the main process
  const siretDigits = normalizeIdentifier(values.communeSiret);
  const siretCheck = checkIdentifier(values.communeSiret, 'siret');
  const stillTyping = !siretCheck.ok && siretCheck.reason === 'length' && /^\d{1,13}$/.test(siretDigits);
  let siretError: string | null = null;
  if (!siretCheck.ok) {
    if (siretCheck.reason === 'empty')
      siretError = shown('communeSiret') ? 'Saisissez le SIRET de la commune (14 chiffres).' : null;
    else if (stillTyping) siretError = shown('communeSiret') ? siretCheck.message : null;
    else siretError = siretCheck.message;
  }

  const contextLength = values.defaultContext.trim().length;
  let contextError: string | null = null;
  if (contextLength === 0) contextError = shown('defaultContext') ? 'Indiquez le cadre des demandes.' : null;
  else if (contextLength > CONTEXT_MAX) contextError = `Le cadre des demandes doit faire ${CONTEXT_MAX} caractères au plus.`;

  const objectLength = values.defaultObject.trim().length;
  let objectError: string | null = null;
  if (objectLength === 0) objectError = shown('defaultObject') ? 'Indiquez l’objet des demandes.' : null;
  else if (objectLength > OBJECT_MAX) {
    objectError = `L’objet doit faire moins de 50 caractères\u00a0: retirez-en ${objectLength - OBJECT_MAX}.`;
  }

  const isLocal = values.apiEnvironment === 'local';
  const urlError =
    isLocal && values.localApiUrl.trim() === '' && shown('localApiUrl')
      ? 'Indiquez l’adresse de l’API locale, par exemple http://127.0.0.1:8750.'
      : null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    setStatus(null);
    // checked again here: errors of fields never left are only computed as shown on the next render
    const invalid: FieldName[] = [];
    if (!siretCheck.ok) invalid.push('communeSiret');
    if (contextLength === 0 || contextLength > CONTEXT_MAX) invalid.push('defaultContext');
    if (objectLength === 0 || objectLength > OBJECT_MAX) invalid.push('defaultObject');
    if (isLocal && values.localApiUrl.trim() === '') invalid.push('localApiUrl');
    const first = invalid[0];
    if (first) {
      setError(
        `Les paramètres n’ont pas été enregistrés : ${
          invalid.length > 1 ? 'corrigez les champs signalés' : 'corrigez le champ signalé'
        }.`,
      );
      refs[first].current?.focus();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const saved = await invoke('settings.update', {
        communeSiret: siretCheck.ok ? siretCheck.value : siretDigits,
        defaultContext: values.defaultContext.trim(),
        defaultObject: values.defaultObject.trim(),
        apiEnvironment: values.apiEnvironment,
        localApiUrl: values.localApiUrl.trim(),
        notifications: values.notifications,
      });
      setValues(forEditing(saved));
      setSubmitted(false);
      setLeft(new Set());
      setStatus('Paramètres enregistrés.');
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  const describedBy = (...ids: (string | false)[]) => ids.filter((value): value is string => value !== false).join(' ');

  return (
    <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Paramètres de Vigie">
      <fieldset>
        <legend>La commune</legend>
        <div className="form-field">
          <label htmlFor={`${id}-siret`}>SIRET de la commune</label>
          <p id={`${id}-siret-hint`} className="hint">
            Il accompagne chaque demande à API Entreprise (destinataire des données). 14 chiffres, espaces permis.
            {stillTyping && !siretError ? ` ${plural(siretDigits.length, 'chiffre saisi', 'chiffres saisis')} sur 14.` : ''}
          </p>
          <input
            ref={refs.communeSiret}
            id={`${id}-siret`}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            className="input-siret"
            value={values.communeSiret}
            maxLength={30}
            onChange={(event) => change('communeSiret', event.target.value)}
            onBlur={() => leave('communeSiret')}
            aria-invalid={siretError !== null}
            aria-describedby={describedBy(`${id}-siret-hint`, siretError !== null && `${id}-siret-error`)}
          />
          {siretError ? (
            <p id={`${id}-siret-error`} className="field-error">
              {frenchSpacing(siretError)}
            </p>
          ) : null}
        </div>
      </fieldset>

      <fieldset>
        <legend>Demandes à API Entreprise</legend>
        <p className="hint">API Entreprise demande à chaque appel pourquoi la commune consulte ces données.</p>
        <div className="form-field">
          <label htmlFor={`${id}-context`}>Cadre des demandes</label>
          <p id={`${id}-context-hint`} className="hint">
            Le cadre juridique ou administratif, par exemple {quoted('Gestion d’un référentiel tiers')}.
          </p>
          <input
            ref={refs.defaultContext}
            id={`${id}-context`}
            type="text"
            value={values.defaultContext}
            onChange={(event) => change('defaultContext', event.target.value)}
            onBlur={() => leave('defaultContext')}
            aria-invalid={contextError !== null}
            aria-describedby={describedBy(`${id}-context-hint`, contextError !== null && `${id}-context-error`)}
          />
          {contextError ? (
            <p id={`${id}-context-error`} className="field-error">
              {frenchSpacing(contextError)}
            </p>
          ) : null}
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-object`}>Objet des demandes</label>
          <p id={`${id}-object-hint`} className="hint">
            Une phrase courte, moins de 50 caractères, par exemple {quoted('Mise à jour du registre des tiers')}.
          </p>
          <input
            ref={refs.defaultObject}
            id={`${id}-object`}
            type="text"
            value={values.defaultObject}
            onChange={(event) => change('defaultObject', event.target.value)}
            onBlur={() => leave('defaultObject')}
            aria-invalid={objectError !== null}
            aria-describedby={describedBy(
              `${id}-object-hint`,
              `${id}-object-counter`,
              objectError !== null && `${id}-object-error`,
            )}
          />
          <p id={`${id}-object-counter`} className={objectLength > OBJECT_MAX ? 'counter counter-over' : 'counter'}>
            {objectLength} / {OBJECT_MAX} caractères
          </p>
          {objectError ? (
            <p id={`${id}-object-error`} className="field-error">
              {frenchSpacing(objectError)}
            </p>
          ) : null}
        </div>
      </fieldset>

      <fieldset>
        <legend>Environnement API Entreprise</legend>
        <div className="radio-group">
          {ENVIRONMENTS.map((environment) => (
            <div key={environment.value} className="radio-option">
              <input
                id={`${id}-env-${environment.value}`}
                type="radio"
                name="apiEnvironment"
                value={environment.value}
                checked={values.apiEnvironment === environment.value}
                onChange={() => change('apiEnvironment', environment.value)}
                aria-describedby={`${id}-env-${environment.value}-description`}
              />
              <div>
                <label htmlFor={`${id}-env-${environment.value}`}>{environment.label}</label>
                <p id={`${id}-env-${environment.value}-description`} className="hint">
                  {environment.description}
                </p>
              </div>
            </div>
          ))}
        </div>
        {isLocal ? (
          <div className="form-field form-field-nested">
            <label htmlFor={`${id}-url`}>Adresse de l’API locale</label>
            <p id={`${id}-url-hint`} className="hint">
              Sur ce poste uniquement, de la forme http://127.0.0.1:8750.
            </p>
            <input
              ref={refs.localApiUrl}
              id={`${id}-url`}
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              value={values.localApiUrl}
              onChange={(event) => change('localApiUrl', event.target.value)}
              onBlur={() => leave('localApiUrl')}
              aria-invalid={urlError !== null}
              aria-describedby={describedBy(`${id}-url-hint`, urlError !== null && `${id}-url-error`)}
            />
            {urlError ? (
              <p id={`${id}-url-error`} className="field-error">
                {frenchSpacing(urlError)}
              </p>
            ) : null}
          </div>
        ) : null}
      </fieldset>

      <fieldset>
        <legend>Notifications</legend>
        <div className="checkbox-field">
          <input
            id={`${id}-notifications`}
            type="checkbox"
            checked={values.notifications}
            onChange={(event) => change('notifications', event.target.checked)}
            aria-describedby={`${id}-notifications-hint`}
          />
          <label htmlFor={`${id}-notifications`}>Afficher les notifications de Vigie sur ce poste</label>
        </div>
        <p id={`${id}-notifications-hint`} className="hint hint-indented">
          Par exemple quand le jeton API Entreprise approche de son expiration.
        </p>
      </fieldset>

      <LiveMessages error={error} status={status} onDismissError={() => setError(null)} />
      <div className="form-actions">
        <button type="submit" className="button-primary" aria-disabled={saving}>
          {saving ? 'Enregistrement…' : 'Enregistrer'}
        </button>
      </div>
    </form>
  );
}
