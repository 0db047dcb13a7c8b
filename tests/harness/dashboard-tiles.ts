// The dashboard's compliance tiles as a user reads them: each found by its words (not its colour),
// with the count it shows.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { plainSpaces } from './fixtures';

export const COMPLIANCE_STATES = ['a_jour', 'expire_bientot', 'expiree', 'refus', 'inconnue', 'non_habilite'] as const;
export type ComplianceState = (typeof COMPLIANCE_STATES)[number];
export type TileCounts = Record<ComplianceState, number>;

/** The words on each tile, written here as the user sees them rather than imported from the app. */
export const TILE_LABELS: Record<ComplianceState, string> = {
  a_jour: 'À jour',
  expire_bientot: 'Expire sous 30 jours',
  expiree: 'Expirée',
  refus: 'Refus de délivrance',
  inconnue: 'Inconnue / non trouvée',
  non_habilite: 'Non habilité',
};

/** The count each tile shows; every tile must be there exactly once. */
export async function tileCounts(page: Page): Promise<TileCounts> {
  const tiles = page.getByRole('list', { name: 'Conformité des fournisseurs actifs' }).getByRole('listitem');
  await tiles.first().waitFor();
  const counts = {} as TileCounts;
  for (const state of COMPLIANCE_STATES) {
    const label = TILE_LABELS[state];
    const tile = tiles.filter({ has: page.getByText(new RegExp(`^${label.replace(/ /g, '\\s')}$`)) });
    expect(await tile.count(), label).toBe(1);
    // thousands are grouped with a (narrow) no-break space in French
    counts[state] = Number(plainSpaces(await tile.locator('.tile-count').textContent()).replace(/\s/g, ''));
  }
  return counts;
}
