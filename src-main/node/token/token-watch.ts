// The daily look at the token while the app runs: ask /privileges again (a revoked token is
// found before a night's refresh), and raise the system notification for a reminder threshold
// once — the in-app banner stays until the user acknowledges it.
import type { Logger } from '../logger';
import type { KeyValueStore } from '../settings/key-value-store';
import type { TokenVault } from './token-vault';

export interface Notifier {
  notify(title: string, body: string): void;
}

const NOTIFIED_KEY = 'tokenRemindersNotified';
export const TOKEN_CHECK_INTERVAL_MS = 24 * 3_600_000;

export class TokenWatch {
  constructor(
    private readonly vault: TokenVault,
    private readonly store: KeyValueStore,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
  ) {}

  /** Run at start-up and once a day. */
  async check(): Promise<void> {
    try {
      await this.vault.recheck();
    } catch (error) {
      this.logger.warn('token watch: recheck failed', { error: String(error).slice(0, 200) });
    }
    const reminder = this.vault.dueReminder();
    if (!reminder) return;
    const summary = this.vault.summary();
    // thresholds are per token: a new token starts a fresh list
    const key = `${summary.shortId ?? ''}:${reminder.thresholdDays}`;
    const notified = (this.store.get(NOTIFIED_KEY) as string[] | undefined) ?? [];
    if (notified.includes(key)) return;
    this.notifier.notify(reminder.title, reminder.message);
    this.store.set(NOTIFIED_KEY, [...notified, key].slice(-50));
  }
}
