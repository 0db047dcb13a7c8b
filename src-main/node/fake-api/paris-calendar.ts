// Calendar arithmetic in the Europe/Paris time zone: the French administrations date their
// attestations in local time, and the server cache expires at 8:00 Paris time. Plain Intl, no
// dependency; every function takes the instant explicitly so the fake API's clock is injectable.

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface CivilTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

function parisParts(epochMs: number): CivilTime {
  const values: Record<string, number> = {};
  for (const part of partsFormatter.formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return {
    year: values.year ?? 1970,
    month: values.month ?? 1,
    day: values.day ?? 1,
    hour: values.hour ?? 0,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
  };
}

/** Offset of Paris from UTC at that instant, in milliseconds (+1 h in winter, +2 h in summer). */
function parisOffsetMs(epochMs: number): number {
  const p = parisParts(epochMs);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The UTC instant of a Paris wall-clock time. */
export function parisWallClockToEpochMs(date: CivilDate, hour = 0, minute = 0): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = guess - parisOffsetMs(guess);
  // around a DST change the offset at the result can differ from the offset at the guess
  return guess - parisOffsetMs(first);
}

export function parisToday(epochMs: number): CivilDate {
  const { year, month, day } = parisParts(epochMs);
  return { year, month, day };
}

export function toIsoDate(date: CivilDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function fromIsoDate(iso: string): CivilDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO date: ${iso}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The last day of the month `months` after the date's month (URSSAF: six months later, end of month). */
export function endOfMonthAfter(date: CivilDate, months: number): CivilDate {
  const monthIndex = date.month - 1 + months;
  const year = date.year + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  return { year, month, day: daysInMonth(year, month) };
}

/** The last day of the month before the date's month (DGFIP: `date_periode_analysee`). */
export function lastDayOfPreviousMonth(date: CivilDate): CivilDate {
  return endOfMonthAfter(date, -1);
}

/** The server cache keeps attestation answers until 8:00 (Paris) the next day. */
export function nextDayEightOClock(epochMs: number): number {
  return parisWallClockToEpochMs(addDays(parisToday(epochMs), 1), 8, 0);
}

/** INSEE dates travel as Unix seconds of the Paris midnight that starts the day. */
export function parisMidnightEpochSeconds(iso: string): number {
  return Math.floor(parisWallClockToEpochMs(fromIsoDate(iso)) / 1000);
}
