// Rows of the register, fetched a page at a time as the table scrolls. The register may hold
// 100,000 suppliers: only the pages near what is on screen are asked for and kept.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Supplier, SupplierSort } from '../../../src-main/common/ipc-contract';
import { invoke } from '../bridge/vigie-client';
import type { ComplianceStateView } from '../../../src-main/common/ipc-contract';

export const PAGE_SIZE = 100;
/** Rows fetched beyond each edge of the visible range, so ordinary scrolling rarely shows a blank row. */
const PREFETCH_ROWS = 30;
/** Pages kept in memory; the farthest from the visible range are dropped first. */
const MAX_CACHED_PAGES = 40;
/** At most one round of requests per interval while the user drags the scrollbar across thousands of rows. */
const FETCH_INTERVAL_MS = 50;

export type Activity = 'all' | 'active' | 'inactive';

export type ComplianceFilter = '' | ComplianceStateView;

export interface SupplierFilter {
  text: string;
  activity: Activity;
  /** '' for every tag. */
  tag: string;
  /** '' for every state. */
  compliance: ComplianceFilter;
  sort: SupplierSort;
  descending: boolean;
}

interface PageCache {
  readonly filter: SupplierFilter;
  readonly reloadToken: number;
  total: number | null;
  readonly pages: Map<number, Supplier[]>;
  readonly inflight: Set<number>;
}

export interface SupplierPages {
  /** Rows matching the filter shown; null until the first answer arrives. */
  total: number | null;
  /** The filter the shown rows answer; changes only once the new rows are there (no flicker while typing). */
  shownFilter: SupplierFilter | null;
  /** Changes every time a page arrives, so that the table re-reads its rows. */
  revision: number;
  /** True while the answer to the latest filter is awaited. */
  pending: boolean;
  rowAt(index: number): Supplier | undefined;
  /** Asks for the pages covering rows first..last (inclusive) of the shown list. */
  ensureRange(first: number, last: number): void;
}

interface Shown {
  cache: PageCache | null;
  revision: number;
  /** The last query answered, successfully or not. */
  settled: { filter: SupplierFilter; reloadToken: number } | null;
}

export function useSupplierPages(
  filter: SupplierFilter,
  reloadToken: number,
  onError: (error: unknown) => void,
): SupplierPages {
  const cacheRef = useRef<PageCache | null>(null);
  const [shown, setShown] = useState<Shown>({ cache: null, revision: 0, settled: null });
  const onErrorRef = useRef(onError);
  const wantedRef = useRef<{ first: number; last: number }>({ first: 0, last: 0 });
  const lastFetchRef = useRef(0);
  const timerRef = useRef<number | null>(null);

  useEffect(() => {
    onErrorRef.current = onError;
  }, [onError]);

  const fetchPage = useCallback((cache: PageCache, page: number) => {
    if (cache.pages.has(page) || cache.inflight.has(page)) return;
    if (cache.total !== null && page * PAGE_SIZE >= cache.total) return;
    cache.inflight.add(page);
    const { text, activity, tag, compliance, sort, descending } = cache.filter;
    invoke('register.search', {
      text,
      activity,
      ...(tag === '' ? {} : { tag }),
      ...(compliance === '' ? {} : { compliance }),
      sort,
      descending,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
    }).then(
      (result) => {
        cache.inflight.delete(page);
        // an answer to a query the user has since changed is dropped
        if (cacheRef.current !== cache) return;
        cache.pages.set(page, result.rows);
        cache.total = result.total;
        evictFarPages(cache, wantedRef.current);
        setShown((previous) => ({ cache, revision: previous.revision + 1, settled: cache }));
      },
      (error: unknown) => {
        cache.inflight.delete(page);
        if (cacheRef.current !== cache) return;
        setShown((previous) => ({ ...previous, revision: previous.revision + 1, settled: cache }));
        onErrorRef.current(error);
      },
    );
  }, []);

  const fetchWanted = useCallback(() => {
    timerRef.current = null;
    lastFetchRef.current = Date.now();
    const cache = cacheRef.current;
    if (!cache) return;
    const { first, last } = wantedRef.current;
    const from = Math.floor(Math.max(0, first - PREFETCH_ROWS) / PAGE_SIZE);
    const to = Math.floor((last + PREFETCH_ROWS) / PAGE_SIZE);
    for (let page = from; page <= to; page += 1) fetchPage(cache, page);
  }, [fetchPage]);

  const ensureRange = useCallback(
    (first: number, last: number) => {
      wantedRef.current = { first, last };
      if (timerRef.current !== null) return;
      const wait = FETCH_INTERVAL_MS - (Date.now() - lastFetchRef.current);
      if (wait <= 0) fetchWanted();
      else timerRef.current = window.setTimeout(fetchWanted, wait);
    },
    [fetchWanted],
  );

  useEffect(() => {
    const cache: PageCache = { filter, reloadToken, total: null, pages: new Map(), inflight: new Set() };
    cacheRef.current = cache;
    // the visible rows are asked for again once the new first page is shown
    fetchPage(cache, 0);
  }, [filter, reloadToken, fetchPage]);

  useEffect(
    () => () => {
      if (timerRef.current !== null) window.clearTimeout(timerRef.current);
    },
    [],
  );

  const cache = shown.cache;
  const pending = shown.settled?.filter !== filter || shown.settled.reloadToken !== reloadToken;
  return {
    total: cache?.total ?? null,
    shownFilter: cache?.filter ?? null,
    revision: shown.revision,
    pending,
    rowAt: (index) => cache?.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    ensureRange,
  };
}

function evictFarPages(cache: PageCache, wanted: { first: number; last: number }): void {
  if (cache.pages.size <= MAX_CACHED_PAGES) return;
  const center = Math.floor((wanted.first + wanted.last) / 2 / PAGE_SIZE);
  const byDistance = [...cache.pages.keys()].sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
  for (const page of byDistance.slice(0, cache.pages.size - MAX_CACHED_PAGES)) cache.pages.delete(page);
}
