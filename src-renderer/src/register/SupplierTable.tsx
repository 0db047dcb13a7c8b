import { useEffect, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Supplier, SupplierSort } from '../../../src-main/common/ipc-contract';
import { formatIdentifier } from '../../../src-main/common/identifiers';
import type { SupplierPages } from './use-supplier-pages';

const ROW_HEIGHT = 40;
/** The sticky header sits inside the scrolling box; the virtualizer must know the rows start below it. */
const HEADER_HEIGHT = 44;

interface Column {
  label: string;
  sort?: SupplierSort;
  className: string;
  render(supplier: Supplier): ReactNode;
}

const COLUMNS: readonly Column[] = [
  {
    label: 'Raison sociale',
    sort: 'name',
    className: 'col-name',
    // a button: Tab reaches it, Enter opens the supplier's screen (the click reaches the row)
    render: (s) => (
      <button type="button" className="row-open" title={s.name.trim() === '' ? undefined : `Ouvrir la fiche de ${s.name}`}>
        {s.name.trim() === '' ? <span className="muted">(raison sociale à compléter)</span> : s.name}
      </button>
    ),
  },
  {
    label: 'SIRET/SIREN',
    sort: 'siren',
    className: 'col-id',
    render: (s) => formatIdentifier(s.siret ?? s.siren),
  },
  { label: 'Code tiers', sort: 'accountingCode', className: 'col-code', render: (s) => s.accountingCode ?? '' },
  { label: 'Ville', sort: 'city', className: 'col-city', render: (s) => s.city ?? '' },
  {
    label: 'Étiquettes',
    className: 'col-tags',
    render: (s) => (
      <span className="tags" title={s.tags.join(', ')}>
        {s.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </span>
    ),
  },
  {
    label: 'Actif',
    className: 'col-active',
    render: (s) => <span className={s.active ? 'badge badge-yes' : 'badge badge-no'}>{s.active ? 'Oui' : 'Non'}</span>,
  },
];

interface SupplierTableProps {
  pages: SupplierPages;
  sort: SupplierSort;
  descending: boolean;
  onSort(sort: SupplierSort): void;
  /** Shown under the header when no row matches. */
  noMatchMessage: string;
  /** Opens the supplier's screen (click on the row, or Enter on its name). */
  onOpen(supplier: Supplier): void;
}

/**
 * The register as a table whose rows exist in the DOM only near the viewport. Roles are set
 * explicitly because the table elements are laid out with CSS grid, which some screen readers
 * would otherwise not read as a table.
 */
export function SupplierTable({ pages, sort, descending, onSort, noMatchMessage, onOpen }: SupplierTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;
  // TanStack Virtual is the project's virtualizer; the React Compiler is not used, so nothing is lost
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    // React 19 warns when flushSync runs during rendering; plain updates are smooth enough here
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const { ensureRange, shownFilter, revision } = pages;

  useEffect(() => {
    if (last >= first) ensureRange(first, last);
  }, [first, last, ensureRange, revision]);

  // a new search starts at the top, but only once its rows are there to be shown
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [shownFilter]);

  return (
    <div ref={scrollRef} className="table-scroll" tabIndex={0} role="region" aria-label="Liste des fournisseurs">
      <table
        role="table"
        className="supplier-table"
        aria-label="Fournisseurs"
        aria-rowcount={count + 1}
        aria-colcount={COLUMNS.length}
        aria-busy={pages.pending}
      >
        <thead role="rowgroup" style={{ height: HEADER_HEIGHT }}>
          <tr role="row" aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const active = column.sort !== undefined && column.sort === sort;
              return (
                <th
                  key={column.label}
                  role="columnheader"
                  scope="col"
                  className={column.className}
                  aria-sort={active ? (descending ? 'descending' : 'ascending') : column.sort ? 'none' : undefined}
                >
                  {column.sort ? (
                    <button type="button" className="sort-button" onClick={() => column.sort && onSort(column.sort)}>
                      {column.label}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (descending ? '▼' : '▲') : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const supplier = pages.rowAt(item.index);
            return (
              <tr
                key={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                className={item.index % 2 === 0 ? 'row even' : 'row odd'}
                onClick={supplier ? () => onOpen(supplier) : undefined}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start - HEADER_HEIGHT}px)` }}
              >
                {COLUMNS.map((column, columnIndex) => (
                  <td key={column.label} role="cell" className={column.className}>
                    {supplier ? column.render(supplier) : <Placeholder announce={columnIndex === 0} />}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {pages.total === 0 ? <p className="table-empty">{noMatchMessage}</p> : null}
    </div>
  );
}

/** A grey bar while the row's page is on its way; read once per row by screen readers. */
function Placeholder({ announce }: { announce: boolean }) {
  return (
    <span className="placeholder">
      {announce ? <span className="visually-hidden">Chargement…</span> : null}
    </span>
  );
}
