// The obligation de vigilance at a glance: each supplier's state from its latest URSSAF
// attestation de vigilance. Only an explicit refusal is "refus"; no attestation, a 404 or a
// timeout is "inconnue" — an absence of yes is not a no.
import type { VigieDatabase } from '../db/database';

export type ComplianceState = 'a_jour' | 'expire_bientot' | 'expiree' | 'refus' | 'inconnue' | 'non_habilite';

export const COMPLIANCE_STATES: readonly ComplianceState[] = ['a_jour', 'expire_bientot', 'expiree', 'refus', 'inconnue', 'non_habilite'];

/** Due again before `date_fin_validite`: within this many days it shows as expiring. */
export const EXPIRING_WITHIN_DAYS = 30;

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * SQL expression giving the state of supplier `s` (active suppliers and inactive alike), from
 * the latest URSSAF attestation of its SIREN. `@today` and `@soon` are ISO dates; `@authorized`
 * is 1 when the token may call URSSAF.
 */
export const COMPLIANCE_SQL = `
  (SELECT CASE
     WHEN a.status = 'refused' THEN 'refus'
     WHEN a.status = 'delivered' AND a.valid_until IS NOT NULL AND a.valid_until < @today THEN 'expiree'
     WHEN a.status = 'delivered' AND a.valid_until IS NOT NULL AND a.valid_until <= @soon THEN 'expire_bientot'
     WHEN a.status = 'delivered' THEN 'a_jour'
     WHEN @authorized = 0 THEN 'non_habilite'
     ELSE 'inconnue'
   END
   FROM (SELECT 1) LEFT JOIN (
     SELECT status, valid_until FROM attestations
     WHERE siren = s.siren AND kind = 'urssaf_vigilance'
     ORDER BY fetched_at DESC, id DESC LIMIT 1
   ) a)`;

export interface ComplianceParams {
  today: string;
  soon: string;
  authorized: 0 | 1;
}

export function complianceParams(today: string, urssafAuthorized: boolean): ComplianceParams {
  return { today, soon: addDays(today, EXPIRING_WITHIN_DAYS), authorized: urssafAuthorized ? 1 : 0 };
}

/** How many active suppliers are in each state. */
export function complianceCounts(db: VigieDatabase, params: ComplianceParams): Record<ComplianceState, number> {
  const rows = db
    .prepare(`SELECT ${COMPLIANCE_SQL} AS state, count(*) AS n FROM suppliers s WHERE s.active = 1 GROUP BY state`)
    .all(params) as { state: ComplianceState; n: number }[];
  const counts = Object.fromEntries(COMPLIANCE_STATES.map((state) => [state, 0])) as Record<ComplianceState, number>;
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}
