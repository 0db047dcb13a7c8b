// The refresh settings as a form edits them: the page from the core (settings, endpoints with
// their French names, the engine's day bounds, the next run), a draft whose day counts are the
// text typed, the French error of each field (checked with the rules the main process applies),
// and saving the fields a form owns.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  dayCountProblem,
  NO_ENDPOINT_MESSAGE,
  nightWindowProblem,
  REFRESH_DAY_FIELDS,
  type CatchUpMode,
  type RefreshDayField,
  type RefreshSettingsPage,
  type RefreshSettingsView,
} from '../../../src-main/common/refresh-settings';
import { errorMessage, invoke } from '../bridge/vigie-client';

export interface RefreshSettingsDraft {
  nightStart: string;
  nightEnd: string;
  catchUp: CatchUpMode;
  enabledEndpoints: readonly string[];
  /** As typed: checked before saving. */
  days: Record<RefreshDayField, string>;
}

export type DraftField = 'nightStart' | 'nightEnd' | 'catchUp' | 'enabledEndpoints' | RefreshDayField;

/** The fields of the night schedule: both screens show them. */
export const SCHEDULE_FIELDS: readonly DraftField[] = ['nightStart', 'nightEnd', 'catchUp'];
/** Everything « Paramètres » shows. */
export const ALL_FIELDS: readonly DraftField[] = [...SCHEDULE_FIELDS, 'enabledEndpoints', ...REFRESH_DAY_FIELDS];

function toDraft(settings: RefreshSettingsView): RefreshSettingsDraft {
  return {
    nightStart: settings.nightStart,
    nightEnd: settings.nightEnd,
    catchUp: settings.catchUp,
    enabledEndpoints: settings.enabledEndpoints,
    days: Object.fromEntries(REFRESH_DAY_FIELDS.map((field) => [field, String(settings[field])])) as Record<RefreshDayField, string>,
  };
}

/** The French problem of each field of the draft, among `fields`. */
export function draftErrors(draft: RefreshSettingsDraft, page: RefreshSettingsPage, fields: readonly DraftField[]): Partial<Record<DraftField, string>> {
  const errors: Partial<Record<DraftField, string>> = {};
  const window = nightWindowProblem(draft.nightStart, draft.nightEnd);
  if (window && fields.includes(window.field)) errors[window.field] = window.message;
  if (fields.includes('enabledEndpoints') && draft.enabledEndpoints.length === 0) errors.enabledEndpoints = NO_ENDPOINT_MESSAGE;
  for (const field of REFRESH_DAY_FIELDS) {
    if (!fields.includes(field)) continue;
    const problem = dayCountProblem(field, draft.days[field], page.limits[field]);
    if (problem) errors[field] = problem;
  }
  return errors;
}

export interface RefreshSettingsForm {
  page: RefreshSettingsPage | null;
  draft: RefreshSettingsDraft | null;
  /** Errors of the fields left or of a tried save. */
  shownErrors: Partial<Record<DraftField, string>>;
  loadError: string | null;
  saveError: string | null;
  saved: string | null;
  saving: boolean;
  change(patch: Partial<RefreshSettingsDraft>): void;
  leave(field: DraftField): void;
  /** Saves `fields`; returns the first field to correct when there is one. */
  save(): Promise<DraftField | null>;
  dismissError(): void;
}

export function useRefreshSettings(fields: readonly DraftField[], onSaved?: (page: RefreshSettingsPage) => void): RefreshSettingsForm {
  const [page, setPage] = useState<RefreshSettingsPage | null>(null);
  const [draft, setDraft] = useState<RefreshSettingsDraft | null>(null);
  const [left, setLeft] = useState<ReadonlySet<DraftField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    invoke('refresh.settings.get', {}).then(
      (answer) => {
        if (!mounted.current) return;
        setPage(answer);
        setDraft(toDraft(answer.settings));
      },
      (failure: unknown) => {
        if (mounted.current) setLoadError(errorMessage(failure));
      },
    );
    return () => {
      mounted.current = false;
    };
  }, []);

  const errors = page && draft ? draftErrors(draft, page, fields) : {};
  const shownErrors = Object.fromEntries(
    Object.entries(errors).filter(([field]) => submitted || left.has(field as DraftField)),
  ) as Partial<Record<DraftField, string>>;

  const change = useCallback((patch: Partial<RefreshSettingsDraft>) => {
    setDraft((previous) => (previous ? { ...previous, ...patch } : previous));
    setSaved(null);
  }, []);

  const leave = useCallback((field: DraftField) => {
    setLeft((previous) => (previous.has(field) ? previous : new Set(previous).add(field)));
  }, []);

  const save = async (): Promise<DraftField | null> => {
    if (!page || !draft || saving) return null;
    setSubmitted(true);
    setSaved(null);
    const first = fields.find((field) => errors[field] !== undefined);
    if (first) {
      const count = fields.filter((field) => errors[field] !== undefined).length;
      setSaveError(`Les réglages n’ont pas été enregistrés : ${count > 1 ? 'corrigez les champs signalés' : 'corrigez le champ signalé'}.`);
      return first;
    }
    const patch: Partial<RefreshSettingsView> = {};
    if (fields.includes('nightStart')) patch.nightStart = draft.nightStart;
    if (fields.includes('nightEnd')) patch.nightEnd = draft.nightEnd;
    if (fields.includes('catchUp')) patch.catchUp = draft.catchUp;
    if (fields.includes('enabledEndpoints')) patch.enabledEndpoints = [...draft.enabledEndpoints];
    for (const field of REFRESH_DAY_FIELDS) if (fields.includes(field)) patch[field] = Number(draft.days[field].trim());
    setSaving(true);
    setSaveError(null);
    try {
      const answer = await invoke('refresh.settings.update', patch);
      if (!mounted.current) return null;
      setPage(answer);
      setDraft(toDraft(answer.settings));
      setSubmitted(false);
      setLeft(new Set());
      setSaved('Réglages de la mise à jour de nuit enregistrés.');
      onSaved?.(answer);
    } catch (failure) {
      if (mounted.current) setSaveError(errorMessage(failure));
    } finally {
      if (mounted.current) setSaving(false);
    }
    return null;
  };

  return {
    page,
    draft,
    shownErrors,
    loadError,
    saveError,
    saved,
    saving,
    change,
    leave,
    save,
    dismissError: () => setSaveError(null),
  };
}
