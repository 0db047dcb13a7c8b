// The token's state as every screen sees it: the banners of the shell, the dashboard's widget and
// the Jeton screen read the same summary and reminder, re-read on each screen change and after
// anything that changes the token.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TokenReminder, TokenSummary } from '../../../src-main/common/ipc-contract';
import { errorMessage, invoke } from '../bridge/vigie-client';

export interface TokenStatus {
  /** null until the first answer. */
  summary: TokenSummary | null;
  /** The reminder due now, not yet acknowledged. */
  reminder: TokenReminder | null;
  /** French, when the state could not be read. */
  error: string | null;
  /** Reads the summary and the reminder again; resolves once they are shown. */
  refresh(): Promise<void>;
}

interface Snapshot {
  summary: TokenSummary | null;
  reminder: TokenReminder | null;
  error: string | null;
}

const TokenStatusContext = createContext<TokenStatus | null>(null);

export function TokenStatusProvider({ refreshKey, children }: { refreshKey: string; children: ReactNode }) {
  const [snapshot, setSnapshot] = useState<Snapshot>({ summary: null, reminder: null, error: null });
  // only the answer to the latest read is shown
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const request = ++latest.current;
    try {
      const [summary, reminder] = await Promise.all([invoke('token.summary', {}), invoke('token.reminder', {})]);
      if (request === latest.current) setSnapshot({ summary, reminder, error: null });
    } catch (failure) {
      if (request === latest.current) setSnapshot((previous) => ({ ...previous, error: errorMessage(failure) }));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);

  const value = useMemo<TokenStatus>(() => ({ ...snapshot, refresh }), [snapshot, refresh]);
  return <TokenStatusContext value={value}>{children}</TokenStatusContext>;
}

export function useTokenStatus(): TokenStatus {
  const status = useContext(TokenStatusContext);
  if (!status) throw new Error('useTokenStatus must be used inside TokenStatusProvider');
  return status;
}
