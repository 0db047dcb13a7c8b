import { useId, useState, type FormEvent, type RefObject } from 'react';
import type { Supplier, SupplierPrefill } from '../../../src-main/common/ipc-contract';
import { checkIdentifier, normalizeIdentifier } from '../../../src-main/common/identifiers';
import { errorMessage, invoke } from '../bridge/vigie-client';
import { parseTags, type SupplierTextFields } from '../supplier/IdentityForm';
import { isProtected, isProtectedDiffusion, PROTECTED_DATA } from '../supplier/supplier-words';
import { frenchSpacing } from '../ui/format';
import { LiveMessages } from '../ui/LiveMessages';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';

interface AddSupplierDialogProps {
  onClose(): void;
  onCreated(supplier: Supplier): void;
  returnFocusRef?: RefObject<HTMLElement | null>;
}

type Fields = SupplierTextFields;

const EMPTY: Fields = { name: '', accountingCode: '', address: '', postalCode: '', city: '', tags: '', notes: '' };

/** The checksum error as soon as the number has its full length (or cannot be one): not while typing the first digits. */
function liveIdentifierError(raw: string): string | null {
  const value = normalizeIdentifier(raw);
  if (value === '') return null;
  const check = checkIdentifier(raw);
  if (check.ok) return null;
  if (check.reason === 'characters') return check.message;
  if (check.reason === 'checksum') return check.message;
  if (value.length > 14) return check.message;
  return null;
}

/** A prefilled value, unless INSEE masked it (the field is left empty, to be typed). */
function prefilled(value: string | null): string {
  return value === null || isProtected(value) ? '' : value;
}

/** « Ajouter un fournisseur »: the SIRET or SIREN, a prefill from INSEE, every field editable. */
export function AddSupplierDialog({ onClose, onCreated, returnFocusRef }: AddSupplierDialogProps) {
  const id = useId();
  const [identifier, setIdentifier] = useState('');
  const [identifierError, setIdentifierError] = useState<string | null>(null);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [prefill, setPrefill] = useState<SupplierPrefill | null>(null);
  const [busy, setBusy] = useState<'lookup' | 'save' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const liveError = liveIdentifierError(identifier);
  const shownIdentifierError = liveError ?? identifierError;
  const set = (key: keyof Fields, value: string) => setFields((current) => ({ ...current, [key]: value }));

  const validIdentifier = (): string | null => {
    const check = checkIdentifier(identifier);
    if (!check.ok) {
      setIdentifierError(check.message);
      document.getElementById(`${id}-identifier`)?.focus();
      return null;
    }
    setIdentifierError(null);
    return check.value;
  };

  const lookup = async () => {
    const value = validIdentifier();
    if (value === null) return;
    setBusy('lookup');
    setError(null);
    setStatus(null);
    try {
      const answer = await invoke('supplier.lookup', { identifier: value });
      setPrefill(answer);
      setFields((current) => ({
        ...current,
        name: prefilled(answer.name) || current.name,
        address: prefilled(answer.address) || current.address,
        postalCode: prefilled(answer.postalCode) || current.postalCode,
        city: prefilled(answer.city) || current.city,
      }));
      setStatus(
        answer.name !== null
          ? 'Informations de l’INSEE reprises dans le formulaire : vérifiez-les, complétez puis enregistrez.'
          : 'Aucune information n’a pu être reprise : complétez le formulaire à la main.',
      );
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = validIdentifier();
    if (value === null) return;
    setBusy('save');
    setError(null);
    try {
      const created = await invoke('supplier.create', {
        identifier: value,
        name: fields.name.trim(),
        accountingCode: fields.accountingCode.trim(),
        address: fields.address.trim(),
        postalCode: fields.postalCode.trim(),
        city: fields.city.trim(),
        tags: parseTags(fields.tags),
        notes: fields.notes.trim(),
      });
      onCreated(created);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(null);
    }
  };

  const errorId = `${id}-identifier-error`;
  const protectedData = prefill !== null && (isProtectedDiffusion(prefill.diffusion) || [prefill.name, prefill.address, prefill.city].some(isProtected));

  return (
    <Modal title="Ajouter un fournisseur" onClose={onClose} closable={busy !== 'save'} className="modal-wide" returnFocusRef={returnFocusRef}>
      <form className="modal-body" onSubmit={(event) => void save(event)} noValidate>
        <div className="identifier-row">
          <div className="field field-grow">
            <label htmlFor={`${id}-identifier`}>Numéro SIRET ou SIREN</label>
            <input
              id={`${id}-identifier`}
              value={identifier}
              onChange={(event) => {
                setIdentifier(event.target.value);
                setIdentifierError(null);
              }}
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              maxLength={40}
              aria-invalid={shownIdentifierError !== null}
              aria-describedby={`${id}-identifier-hint ${errorId}`}
              className="input-identifier"
            />
            <p id={`${id}-identifier-hint`} className="hint">
              14 chiffres pour un établissement (SIRET), 9 pour l’entreprise (SIREN). Les espaces sont acceptés.
            </p>
            <div id={errorId} aria-live="polite">
              {shownIdentifierError === null ? null : <p className="field-error">{frenchSpacing(shownIdentifierError)}</p>}
            </div>
          </div>
          <button type="button" onClick={() => void lookup()} disabled={busy !== null}>
            {busy === 'lookup' ? 'Recherche…' : 'Rechercher'}
          </button>
        </div>

        <LiveMessages error={error} status={status} />

        {prefill?.ceased ? (
          <div className="banner banner-bad" role="note">
            <span className="banner-icon" aria-hidden="true">
              !
            </span>
            <p className="banner-text">
              <strong>Entreprise cessée</strong> selon l’INSEE : vérifiez avant de l’ajouter au registre.
            </p>
          </div>
        ) : null}
        {protectedData ? <p className="notice">{PROTECTED_DATA} : certaines informations sont à saisir à la main.</p> : null}
        {prefill && prefill.problems.length > 0 ? (
          <div className="notice">
            <p>Certaines informations n’ont pas pu être obtenues :</p>
            <ul>
              {prefill.problems.map((problem) => (
                <li key={problem}>{frenchSpacing(problem)}</li>
              ))}
            </ul>
          </div>
        ) : null}

        <div className="form-grid">
          <TextField id={`${id}-name`} label="Raison sociale" value={fields.name} onChange={(value) => set('name', value)} maxLength={300} wide />
          <TextField id={`${id}-address`} label="Adresse" value={fields.address} onChange={(value) => set('address', value)} maxLength={300} wide />
          <TextField id={`${id}-postal`} label="Code postal" value={fields.postalCode} onChange={(value) => set('postalCode', value)} maxLength={20} />
          <TextField id={`${id}-city`} label="Ville" value={fields.city} onChange={(value) => set('city', value)} maxLength={150} />
          <TextField id={`${id}-code`} label="Code tiers" value={fields.accountingCode} onChange={(value) => set('accountingCode', value)} maxLength={100} />
          <TextField id={`${id}-tags`} label="Étiquettes (séparées par des virgules)" value={fields.tags} onChange={(value) => set('tags', value)} />
          <div className="field field-wide">
            <label htmlFor={`${id}-notes`}>Notes</label>
            <textarea id={`${id}-notes`} value={fields.notes} onChange={(event) => set('notes', event.target.value)} maxLength={5000} rows={2} />
          </div>
        </div>

        <div className="modal-footer">
          <button type="button" onClick={onClose} disabled={busy === 'save'}>
            Annuler
          </button>
          <button type="submit" className="button-primary" disabled={busy !== null}>
            {busy === 'save' ? 'Enregistrement…' : 'Enregistrer'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
