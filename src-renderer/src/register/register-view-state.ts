// The register's search and filters, kept for the session: coming back from a supplier's
// screen finds the list as it was left.
import type { SupplierSort } from '../../../src-main/common/ipc-contract';
import type { Activity, ComplianceFilter } from './use-supplier-pages';

export interface RegisterViewState {
  text: string;
  activity: Activity;
  tag: string;
  compliance: ComplianceFilter;
  sort: SupplierSort;
  descending: boolean;
}

let saved: RegisterViewState = { text: '', activity: 'all', tag: '', compliance: '', sort: 'name', descending: false };

export function savedRegisterView(): RegisterViewState {
  return saved;
}

export function saveRegisterView(next: RegisterViewState): void {
  saved = next;
}
