import type { ChangeView } from '../../../src-main/common/ipc-contract';
import { frenchSpacing } from './format';

/** What a refresh found changed, one line per supplier and change (dashboard and Mises à jour). */
export function ChangesList({ changes, labelledBy }: { changes: readonly ChangeView[]; labelledBy: string }) {
  return (
    <ul className="changes" aria-labelledby={labelledBy}>
      {changes.map((change, index) => (
        <li key={`${change.kind}-${change.supplierId ?? 'x'}-${index}`}>
          <span className="change-supplier">{change.supplierName}</span>
          <span className="change-description">{frenchSpacing(change.description)}</span>
        </li>
      ))}
    </ul>
  );
}
