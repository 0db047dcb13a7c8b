// Virtual time for whole-system simulations: a clock whose timers fire only when the driver moves
// it, and a driver that moves it to the next timer only once nothing real (HTTP, I/O) is under way.
// A night of calls then runs in seconds of real time, with no real waiting.
import { setImmediate as realTick } from 'node:timers/promises';
import type { Clock } from '../../src-main/node/clock';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Moves time to the earliest pending timer and fires it; false when none is pending. */
  fireNext(): boolean {
    let next: Timer | null = null;
    let live = 0;
    for (const timer of this.timers) {
      if (timer.cancelled) continue;
      live += 1;
      if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    }
    if (live * 2 < this.timers.length) this.timers = this.timers.filter((t) => !t.cancelled);
    if (!next) return false;
    this.current = Math.max(this.current, next.at);
    next.cancelled = true;
    next.callback();
    return true;
  }

  /** Jumps to `at` (later than now) without firing anything: the timers due by then fire on the next drive. */
  jumpTo(at: number): void {
    this.current = Math.max(this.current, at);
  }
}

export interface DriveOptions {
  clock: VirtualClock;
  /** Stop once this is true. */
  done: () => boolean;
  /** Real work under way (requests in flight): time does not move meanwhile. */
  busy: () => boolean;
  /** Real ticks with nothing busy and no timer before giving up. */
  stallTicks?: number;
}

/** Lets real work and promises settle, then advances virtual time to the next timer, until `done`. */
export async function driveVirtualTime(options: DriveOptions): Promise<void> {
  const stallTicks = options.stallTicks ?? 10_000;
  let idle = 0;
  while (!options.done()) {
    await realTick();
    if (options.done()) break;
    if (options.busy()) continue;
    // one more turn: work started by a promise that just settled shows up as busy
    await realTick();
    if (options.done()) break;
    if (options.busy()) continue;
    if (options.clock.fireNext()) {
      idle = 0;
      continue;
    }
    idle += 1;
    if (idle > stallTicks) throw new Error('virtual time stalled: nothing busy, no timer pending, not done');
  }
}
