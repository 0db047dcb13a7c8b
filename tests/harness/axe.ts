// axe-core over the page as it is now. No rule is disabled: what it finds is fixed in the UI.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeReport {
  /** "rule (impact): help — selectors", for the serious and critical violations. */
  serious: string[];
  /** Every violation, whatever its impact, in the same form. */
  all: string[];
}

/** Runs axe on the page; the page must come from `browser.newContext()` (axe opens a helper page in it). */
export async function axeScan(page: Page): Promise<AxeReport> {
  const results = await new AxeBuilder({ page }).analyze();
  const describe = (violation: (typeof results.violations)[number]) =>
    `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} — ${violation.nodes
      .map((node) => node.target.join(' '))
      .join(', ')}`;
  return {
    serious: results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe),
    all: results.violations.map(describe),
  };
}
