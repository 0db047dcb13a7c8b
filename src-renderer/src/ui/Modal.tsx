import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { frenchSpacing } from './format';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface ModalProps {
  title: string;
  children: ReactNode;
  /** Escape and the close button call this; pass `closable={false}` while work must not be interrupted. */
  onClose(): void;
  closable?: boolean;
  /** Extra class for sizing. */
  className?: string;
  /** Where focus goes back on close; by default the element focused when the dialog opened. */
  returnFocusRef?: RefObject<HTMLElement | null>;
}

/**
 * An accessible modal dialog: the rest of the page is made inert, Tab cycles inside the dialog,
 * Escape closes it, and focus goes back to where it was (usually the button that opened it).
 */
export function Modal({ title, children, onClose, closable = true, className, returnFocusRef }: ModalProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const closableRef = useRef(closable);

  useEffect(() => {
    onCloseRef.current = onClose;
    closableRef.current = closable;
  }, [onClose, closable]);

  useEffect(() => {
    // the opener may have lost focus already (a button disabled while the file picker was open)
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const returnTarget = returnFocusRef?.current ?? focused;
    const appRoot = document.getElementById('root');
    if (appRoot) appRoot.inert = true;
    dialogRef.current?.focus();
    // focus may fall on <body> (a button disabled while it works): Escape must still close
    const onStrayEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (dialogRef.current && event.target instanceof Node && dialogRef.current.contains(event.target)) return;
      event.preventDefault();
      if (closableRef.current) onCloseRef.current();
    };
    document.addEventListener('keydown', onStrayEscape);
    return () => {
      document.removeEventListener('keydown', onStrayEscape);
      if (appRoot) appRoot.inert = false;
      if (returnTarget?.isConnected) returnTarget.focus();
    };
  }, [returnFocusRef]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (closableRef.current) onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusables = [...dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (element) => element.offsetParent !== null || element === document.activeElement,
    );
    const firstElement = focusables[0];
    const lastElement = focusables[focusables.length - 1];
    if (!firstElement || !lastElement) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === firstElement || active === dialogRef.current)) {
      event.preventDefault();
      lastElement.focus();
    } else if (!event.shiftKey && active === lastElement) {
      event.preventDefault();
      firstElement.focus();
    }
  };

  return createPortal(
    <div className="modal-backdrop">
      <div
        ref={dialogRef}
        className={className ? `modal ${className}` : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="modal-header">
          <h2 id={titleId}>{frenchSpacing(title)}</h2>
          <button
            type="button"
            className="button-icon"
            onClick={onClose}
            disabled={!closable}
            aria-label="Fermer la fenêtre"
            title="Fermer la fenêtre"
          >
            <span aria-hidden="true">×</span>
          </button>
        </header>
        {children}
      </div>
    </div>,
    document.body,
  );
}
