// Calendar days as stored by the core ("2026-05-31") shown as in the town hall ("31/05/2026").

/** "2026-05-31" (or an ISO date-time) -> "31/05/2026"; anything else is returned as is. */
export function formatDay(value: string | null): string {
  if (value === null) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  return `${match[3]}/${match[2]}/${match[1]}`;
}
