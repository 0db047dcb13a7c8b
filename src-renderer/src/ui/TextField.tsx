import type { HTMLAttributes } from 'react';

/** One labelled text input of the supplier forms (adding a supplier, editing one). */
export function TextField({
  id,
  label,
  value,
  onChange,
  maxLength,
  wide = false,
  inputMode,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
  wide?: boolean;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
}) {
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(event) => onChange(event.target.value)} maxLength={maxLength} autoComplete="off" inputMode={inputMode} />
    </div>
  );
}
