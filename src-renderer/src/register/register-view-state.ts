// The register's search and filters, kept for the session: coming back from a supplier's
// screen finds the list as it was left.
import type { SupplierFilter } from './use-supplier-pages';

/** What the register screen shows: exactly what it asks the core for. */
export type RegisterViewState = SupplierFilter;

let saved: RegisterViewState = { text: '', activity: 'all', tag: '', compliance: '', sort: 'name', descending: false };

export function savedRegisterView(): RegisterViewState {
  return saved;
}

export function saveRegisterView(next: RegisterViewState): void {
  saved = next;
}
