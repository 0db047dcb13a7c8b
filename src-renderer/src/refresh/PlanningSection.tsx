// « Planification » on the « Mises à jour » screen: when the night runs, what happens to a night
// missed while Vigie was closed, and when the next run is planned.
import { useId, type FormEvent } from 'react';
import type { RefreshSettingsPage } from '../../../src-main/common/refresh-settings';
import { SectionMessage } from '../ui/SectionMessage';
import { fieldId, NightScheduleFields } from './NightScheduleFields';
import { nightWords } from './refresh-words';
import { SCHEDULE_FIELDS, useRefreshSettings } from './use-refresh-settings';

export function PlanningSection({ onSaved }: { onSaved?: (page: RefreshSettingsPage) => void }) {
  const headingId = useId();
  const baseId = useId();
  const form = useRefreshSettings(SCHEDULE_FIELDS, onSaved);
  const { page, loadError, saveError, saved, saving } = form;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const first = await form.save();
    if (first) document.getElementById(fieldId(baseId, first))?.focus();
  };

  return (
    <section className="card card-wide planning" aria-labelledby={headingId}>
      <h2 id={headingId}>Planification</h2>
      {page ? (
        <form className="planning-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={headingId}>
          <p className="refresh-next">
            <span className="fact-label">Prochaine mise à jour prévue&nbsp;:</span>{' '}
            <strong>{page.nextRunAt ? nightWords(page.nextRunAt) : 'pas encore programmée'}</strong>
          </p>
          <NightScheduleFields form={form} baseId={baseId} />
          <SectionMessage error={saveError} status={saved} />
          <div className="form-actions">
            <button type="submit" className="button-primary" aria-disabled={saving}>
              {saving ? 'Enregistrement…' : 'Enregistrer la planification'}
            </button>
          </div>
        </form>
      ) : (
        <SectionMessage error={loadError} status={loadError ? null : 'Lecture de la planification…'} />
      )}
    </section>
  );
}
