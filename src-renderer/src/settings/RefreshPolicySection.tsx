// « Mise à jour de nuit » in « Paramètres »: the night window and the catch-up choice (the same
// fields as on « Mises à jour »), the data kept up to date, and how old each may get.
import { useId, type FormEvent } from 'react';
import { REFRESH_DAY_FIELDS, REFRESH_DAY_LABELS, type RefreshDayField } from '../../../src-main/common/refresh-settings';
import { describedBy, FieldError, fieldId, NightScheduleFields } from '../refresh/NightScheduleFields';
import { nightWords } from '../refresh/refresh-words';
import { ALL_FIELDS, useRefreshSettings } from '../refresh/use-refresh-settings';
import { formatCount, frenchSpacing } from '../ui/format';
import { Section } from '../ui/Section';
import { SectionMessage } from '../ui/SectionMessage';

export function RefreshPolicySection({ headingId: givenHeadingId }: { headingId?: string }) {
  const generatedHeadingId = useId();
  const headingId = givenHeadingId ?? generatedHeadingId;
  const baseId = useId();
  const form = useRefreshSettings(ALL_FIELDS);
  const { page, draft, shownErrors, loadError, saveError, saved, saving, change, leave } = form;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const first = await form.save();
    if (first === 'enabledEndpoints') document.getElementById(`${fieldId(baseId, first)}-0`)?.focus();
    else if (first) document.getElementById(fieldId(baseId, first))?.focus();
  };

  const toggle = (endpoint: string, checked: boolean) => {
    if (!draft || !page) return;
    const chosen = new Set(draft.enabledEndpoints);
    if (checked) chosen.add(endpoint);
    else chosen.delete(endpoint);
    // in the catalogue's order, as listed
    change({ enabledEndpoints: page.endpoints.map((e) => e.id).filter((id) => chosen.has(id)) });
  };

  const dayField = (field: RefreshDayField) => {
    if (!draft || !page) return null;
    const id = fieldId(baseId, field);
    const error = shownErrors[field];
    const limits = page.limits[field];
    return (
      <div key={field} className="form-field day-count-field">
        <label htmlFor={id}>{frenchSpacing(REFRESH_DAY_LABELS[field])}</label>
        <div className="day-count-input">
          <input
            id={id}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={draft.days[field]}
            onChange={(event) => change({ days: { ...draft.days, [field]: event.target.value } })}
            onBlur={() => leave(field)}
            aria-invalid={error !== undefined}
            aria-describedby={describedBy(`${id}-unit`, error !== undefined && `${id}-error`)}
          />
          <span id={`${id}-unit`}>
            jours <span className="hint">(de {formatCount(limits.min)} à {formatCount(limits.max)})</span>
          </span>
        </div>
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  };

  const endpointsError = shownErrors.enabledEndpoints;
  return (
    <Section title="Mise à jour de nuit" headingId={headingId} className="refresh-policy">
      {page && draft ? (
        <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby={headingId}>
          <p className="card-intro">
            Prochaine mise à jour prévue&nbsp;: <strong>{page.nextRunAt ? nightWords(page.nextRunAt) : 'pas encore programmée'}</strong>.
          </p>
          <NightScheduleFields form={form} baseId={baseId} />
          <fieldset
            className="refresh-endpoints"
            aria-describedby={describedBy(`${baseId}-endpoints-hint`, endpointsError !== undefined && `${baseId}-endpoints-error`)}
          >
            <legend>Données tenues à jour la nuit</legend>
            <p id={`${baseId}-endpoints-hint`} className="hint">
              Seules les données que votre jeton API Entreprise permet de demander le seront.
            </p>
            <ul className="refresh-endpoint-list">
              {page.endpoints.map((endpoint, index) => {
                const id = `${fieldId(baseId, 'enabledEndpoints')}-${index}`;
                return (
                  <li key={endpoint.id} className="checkbox-field">
                    <input
                      id={id}
                      type="checkbox"
                      checked={draft.enabledEndpoints.includes(endpoint.id)}
                      onChange={(event) => toggle(endpoint.id, event.target.checked)}
                      onBlur={() => leave('enabledEndpoints')}
                      aria-invalid={endpointsError !== undefined}
                    />
                    <label htmlFor={id}>{endpoint.label}</label>
                  </li>
                );
              })}
            </ul>
            <FieldError id={`${baseId}-endpoints-error`} message={endpointsError} />
          </fieldset>
          <fieldset className="refresh-days">
            <legend>Ancienneté des données</legend>
            <p className="hint">Au-delà, la donnée est redemandée lors d’une prochaine nuit, en commençant par les plus urgentes.</p>
            {REFRESH_DAY_FIELDS.map(dayField)}
          </fieldset>
          <SectionMessage error={saveError} status={saved} />
          <div className="form-actions">
            <button type="submit" className="button-primary" aria-disabled={saving}>
              {saving ? 'Enregistrement…' : 'Enregistrer la mise à jour de nuit'}
            </button>
          </div>
        </form>
      ) : (
        <SectionMessage error={loadError} status={loadError ? null : 'Lecture des réglages de la mise à jour de nuit…'} />
      )}
    </Section>
  );
}
