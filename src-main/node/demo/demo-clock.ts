// The demonstration core's clock: the computer's time, except while the demonstration register
// is built, when it is moved back to replay checks made months ago (so that some attestations
// obtained then have expired today, as in a register kept for a while).
import type { Clock } from '../clock';

export class ReplayClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const handle = setTimeout(callback, Math.max(0, ms));
    return () => clearTimeout(handle);
  }

  /** Runs `work` as if it happened at `at` (epoch ms, in the past); back to the present afterwards. */
  async at<T>(at: number, work: () => Promise<T>): Promise<T> {
    this.offsetMs = at - Date.now();
    try {
      return await work();
    } finally {
      this.offsetMs = 0;
    }
  }
}

/** Today `months` months ago, on a day that exists in every month (28 at most). */
export function monthsAgo(now: number, months: number): number {
  const date = new Date(now);
  date.setDate(Math.min(date.getDate(), 28));
  date.setMonth(date.getMonth() - months);
  return date.getTime();
}
