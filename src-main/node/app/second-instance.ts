// What the Vigie that holds the single-instance lock does when Vigie is launched again. The
// launched copy quits at once (one Vigie per session: two would share the database); it passes
// whether it was a scheduled refresh (`--headless-refresh`) both in its command line and in the
// lock's additional data, because Chromium may reorder or extend the command line it forwards.

export const HEADLESS_REFRESH_SWITCH = '--headless-refresh';

/** The additional data a launched copy hands to the running Vigie with the lock request. */
export interface LaunchRequest {
  headlessRefresh: boolean;
}

export type SecondInstanceAction =
  /** A user opened Vigie while it was open: show its window. */
  | 'focus-window'
  /** A scheduled refresh while Vigie is open: the open Vigie runs it, as if « Lancer » was pressed. */
  | 'start-refresh'
  /** A user opened Vigie during a scheduled refresh: hand the run over to a Vigie with a window. */
  | 'reopen-as-app'
  /** A scheduled refresh during a scheduled refresh: the run under way is that refresh. */
  | 'ignore';

export function isHeadlessRefresh(argv: readonly string[]): boolean {
  // Windows treats switches case-insensitively
  return argv.some((arg) => arg.toLowerCase() === HEADLESS_REFRESH_SWITCH);
}

export function launchRequest(argv: readonly string[]): LaunchRequest {
  return { headlessRefresh: isHeadlessRefresh(argv) };
}

function asksForRefresh(argv: readonly string[], additionalData: unknown): boolean {
  if (typeof additionalData === 'object' && additionalData !== null && 'headlessRefresh' in additionalData) {
    return (additionalData as { headlessRefresh: unknown }).headlessRefresh === true;
  }
  return isHeadlessRefresh(argv);
}

/** Decides from the launched copy's command line and data, and whether this Vigie is itself a headless refresh. */
export function secondInstanceAction(argv: readonly string[], additionalData: unknown, self: { headless: boolean }): SecondInstanceAction {
  const refresh = asksForRefresh(argv, additionalData);
  if (self.headless) return refresh ? 'ignore' : 'reopen-as-app';
  return refresh ? 'start-refresh' : 'focus-window';
}

/** The command line a headless Vigie relaunches itself with to become the usual app (its own, without the switch). */
export function relaunchArguments(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => arg.toLowerCase() !== HEADLESS_REFRESH_SWITCH);
}
