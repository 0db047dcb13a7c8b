// The night window and the catch-up choice: the same fields on « Mises à jour » (Planification)
// and in « Paramètres » (Mise à jour de nuit).
import type { CatchUpMode } from '../../../src-main/common/refresh-settings';
import { frenchSpacing } from '../ui/format';
import type { DraftField, RefreshSettingsForm } from './use-refresh-settings';
import './refresh.css';

const CATCH_UP_CHOICES: readonly { value: CatchUpMode; label: string; description: string }[] = [
  {
    value: 'ask',
    label: 'Me demander',
    description: 'Au démarrage, Vigie signale la nuit manquée et vous choisissez de lancer la mise à jour ou de la laisser.',
  },
  {
    value: 'auto',
    label: 'Lancer automatiquement',
    description: 'Au démarrage, Vigie lance aussitôt la mise à jour manquée.',
  },
];

/** The id of a field's input: the form focuses the first one to correct. */
export function fieldId(baseId: string, field: DraftField): string {
  return `${baseId}-${field}`;
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((value): value is string => typeof value === 'string' && value !== '');
  return list.length > 0 ? list.join(' ') : undefined;
}

/** A field's French error, tied to it by its id. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {frenchSpacing(message)}
    </p>
  ) : null;
}

export function NightScheduleFields({ form, baseId }: { form: RefreshSettingsForm; baseId: string }) {
  const { draft, shownErrors, change, leave } = form;
  if (!draft) return null;
  const timeField = (field: 'nightStart' | 'nightEnd', label: string) => {
    const id = fieldId(baseId, field);
    const error = shownErrors[field];
    return (
      <div className="form-field night-time-field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="time"
          step={60}
          value={draft[field]}
          onChange={(event) => change({ [field]: event.target.value })}
          onBlur={() => leave(field)}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy(`${baseId}-window-hint`, error !== undefined && `${id}-error`)}
        />
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  };

  return (
    <>
      <fieldset className="night-window">
        <legend>Plage de nuit</legend>
        <p id={`${baseId}-window-hint`} className="hint">
          Heure de cet ordinateur. Une fin plus tôt que le début tombe le lendemain (par exemple de 22:00 à 05:00). La plage dure
          entre 15 minutes et 12 heures&nbsp;; la mise à jour s’arrête à l’heure de fin et reprend la nuit suivante.
        </p>
        <div className="night-window-times">
          {timeField('nightStart', 'Début')}
          {timeField('nightEnd', 'Fin')}
        </div>
      </fieldset>
      <fieldset className="night-catch-up">
        <legend>Si Vigie était fermé pendant la nuit</legend>
        <div className="radio-group">
          {CATCH_UP_CHOICES.map((choice) => {
            const id = `${fieldId(baseId, 'catchUp')}-${choice.value}`;
            return (
              <div key={choice.value} className="radio-option">
                <input
                  id={id}
                  type="radio"
                  name={`${baseId}-catch-up`}
                  value={choice.value}
                  checked={draft.catchUp === choice.value}
                  onChange={() => change({ catchUp: choice.value })}
                  aria-describedby={`${id}-description`}
                />
                <div>
                  <label htmlFor={id}>{choice.label}</label>
                  <p id={`${id}-description`} className="hint">
                    {choice.description}
                  </p>
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </>
  );
}
