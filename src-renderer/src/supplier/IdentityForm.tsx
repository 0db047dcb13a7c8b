import { useId, useState, type FormEvent } from 'react';
import type { Supplier } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { TextField } from '../ui/TextField';

interface IdentityFormProps {
  supplier: Supplier;
  onSaved(supplier: Supplier): void;
  /** French message. */
  onFailed(message: string): void;
}

/** A supplier's text fields as typed in a form (tags as one comma-separated line). */
export interface SupplierTextFields {
  name: string;
  accountingCode: string;
  address: string;
  postalCode: string;
  city: string;
  tags: string;
  notes: string;
}

interface Draft extends SupplierTextFields {
  active: boolean;
}

function draftOf(supplier: Supplier): Draft {
  return {
    name: supplier.name,
    accountingCode: supplier.accountingCode ?? '',
    address: supplier.address ?? '',
    postalCode: supplier.postalCode ?? '',
    city: supplier.city ?? '',
    tags: supplier.tags.join(', '),
    notes: supplier.notes ?? '',
    active: supplier.active,
  };
}

/** "voirie, travaux ; nettoyage" -> ["voirie", "travaux", "nettoyage"], without duplicates. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,;]/).map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/** The supplier's own fields, editable; « Enregistrer » sends them all with `supplier.update`. */
export function IdentityForm({ supplier, onSaved, onFailed }: IdentityFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(supplier));
  const [saving, setSaving] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft.name.trim() === '') {
      setNameError('Saisissez la raison sociale du fournisseur.');
      document.getElementById(`${id}-name`)?.focus();
      return;
    }
    setNameError(null);
    setSaving(true);
    try {
      const saved = await invoke('supplier.update', {
        id: supplier.id,
        name: draft.name.trim(),
        accountingCode: draft.accountingCode.trim(),
        address: draft.address.trim(),
        postalCode: draft.postalCode.trim(),
        city: draft.city.trim(),
        tags: parseTags(draft.tags),
        notes: draft.notes.trim(),
        active: draft.active,
      });
      setDraft(draftOf(saved));
      onSaved(saved);
    } catch (failure) {
      onFailed(errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="form-grid" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field field-wide">
        <label htmlFor={`${id}-name`}>Raison sociale</label>
        <input
          id={`${id}-name`}
          value={draft.name}
          onChange={(event) => set('name', event.target.value)}
          maxLength={300}
          autoComplete="off"
          aria-invalid={nameError !== null}
          aria-describedby={nameError ? `${id}-name-error` : undefined}
        />
        {nameError ? (
          <p id={`${id}-name-error`} className="field-error">
            {nameError}
          </p>
        ) : null}
      </div>
      <TextField id={`${id}-code`} label="Code tiers" value={draft.accountingCode} onChange={(value) => set('accountingCode', value)} maxLength={100} />
      <TextField id={`${id}-address`} label="Adresse" value={draft.address} onChange={(value) => set('address', value)} maxLength={300} wide />
      <TextField id={`${id}-postal`} label="Code postal" value={draft.postalCode} onChange={(value) => set('postalCode', value)} maxLength={20} inputMode="numeric" />
      <TextField id={`${id}-city`} label="Ville" value={draft.city} onChange={(value) => set('city', value)} maxLength={150} />
      <div className="field field-wide">
        <label htmlFor={`${id}-tags`}>Étiquettes</label>
        <input
          id={`${id}-tags`}
          value={draft.tags}
          onChange={(event) => set('tags', event.target.value)}
          aria-describedby={`${id}-tags-hint`}
          autoComplete="off"
        />
        <p id={`${id}-tags-hint`} className="hint">
          Séparées par des virgules, par exemple : voirie, travaux
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor={`${id}-notes`}>Notes</label>
        <textarea id={`${id}-notes`} value={draft.notes} onChange={(event) => set('notes', event.target.value)} maxLength={5000} rows={3} />
      </div>
      <div className="field field-wide field-check">
        <input id={`${id}-active`} type="checkbox" checked={draft.active} onChange={(event) => set('active', event.target.checked)} />
        <label htmlFor={`${id}-active`}>Fournisseur actif</label>
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={saving}>
          {saving ? 'Enregistrement…' : 'Enregistrer les modifications'}
        </button>
      </div>
    </form>
  );
}
