// The « Mises à jour » screen against the real core and the local fake API Entreprise: a run
// started with « Lancer maintenant », followed while it works (progress bar, counts, pace of each
// pool), then its summary, what changed (an URSSAF refusal) and the history; the French refusal
// when no token is stored; pause, resume and a cancel behind a confirmation.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SyntheticCompany } from '../../src-main/node/fake-api/synthetic-companies';
import type { AppWithFakeApi } from '../harness/app-with-fake-api';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { focusedText, screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';
import { switchToSlowFakeApi } from '../harness/slow-fake-api';

const SCREEN = 'Mises à jour';
const COMPANY_COUNT = 300;

describe('Mises à jour screen', () => {
  const session = appInBrowserPerTest();

  /** The app with a token and the given companies as suppliers; `latencyMs`: its API answers that late. */
  async function startWithSuppliers(pick: (companies: AppWithFakeApi['api']['companies']) => SyntheticCompany[], latencyMs = 0) {
    const started = await session.start({ companyCount: COMPANY_COUNT });
    await started.storeToken(started.mintToken());
    const companies = pick(started.api.companies);
    for (const company of companies) {
      const siret = company.establishments[0]?.siret;
      if (!siret) throw new Error('an example company without establishment');
      const created = await started.harness.core.dispatch('supplier.create', { identifier: siret, name: company.name ?? siret });
      if (!created.ok) throw new Error(`supplier.create failed: ${created.error.message}`);
    }
    if (latencyMs > 0) {
      // closed after the app (closeAfterTest steps run after the apps)
      const slow = await switchToSlowFakeApi(started, { companyCount: COMPANY_COUNT, latencyMs });
      session.closeAfterTest(() => slow.close());
    }
    const view = await session.openWindow(started.harness, { screen: SCREEN });
    return { view, page: view.page, companies };
  }

  function launchButton(page: Page) {
    return page.getByRole('button', { name: 'Lancer maintenant' });
  }

  function progressCard(page: Page) {
    return page.getByRole('region', { name: /^Mise à jour (en cours|en pause)$/ });
  }

  async function statusText(page: Page): Promise<string> {
    return plainSpaces(await page.getByRole('status').textContent());
  }

  it('runs now: progress while it works, then the summary, the URSSAF refusal among the changes, and the history', async () => {
    // answers two seconds late: the run lasts long enough to be watched
    const { view, page, companies } = await startWithSuppliers(
      (all) => [all.example('active', 'urssaf_refused'), all.example('active', 'urssaf_ok', 'dgfip_known')],
      2_000,
    );
    const refusedName = companies[0]?.name ?? '';
    const schedule = page.getByRole('region', { name: 'Mises à jour automatiques' });
    const scheduleText = plainSpaces(await schedule.innerText());
    expect(scheduleText).toMatch(/Chaque nuit, entre 1 h et 5 h \(heure de cet ordinateur\)/);
    expect(plainSpaces(await page.getByRole('region', { name: 'Planification' }).innerText())).toMatch(
      /Prochaine mise à jour prévue : (nuit du \d{2}\/\d{2}\/\d{4} à \d{1,2} h|pas encore programmée)/,
    );
    expect(scheduleText).toContain('limite le nombre de demandes par minute');
    expect(scheduleText).toContain('plusieurs nuits');
    expect(plainSpaces(await page.getByRole('region', { name: 'Dernière mise à jour' }).innerText())).toContain(
      'Aucune mise à jour effectuée pour l’instant',
    );
    expect(await page.title()).toBe('Mises à jour — Vigie');

    await launchButton(page).click();
    const bar = page.getByRole('progressbar', { name: 'Avancement de la mise à jour' });
    await bar.waitFor();
    await expect.poll(() => statusText(page)).toMatch(/^Mise à jour lancée : \d+ vérifications? prévues?\.$/);
    const total = Number(await bar.getAttribute('aria-valuemax'));
    expect(total).toBeGreaterThan(0);
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    expect(plainSpaces(await bar.getAttribute('aria-valuetext'))).toMatch(new RegExp(`^\\d+ sur ${total} vérifications?$`));
    // focus stays on the button, which says it cannot be used while the run works
    expect(await launchButton(page).getAttribute('aria-disabled')).toBe('true');
    expect(await focusedText(page)).toBe('Lancer maintenant');

    const card = progressCard(page);
    const pools = card.getByRole('table', { name: 'Rythme par service d’API Entreprise' });
    await pools.waitFor();
    expect(plainSpaces(await pools.innerText())).toMatch(/\d+ par minute sur \d+ autorisées/);
    expect(plainSpaces(await card.getByRole('list', { name: 'Bilan des vérifications' }).innerText())).toMatch(/en erreur/);
    const busyScan = await axeScan(page);
    expect(busyScan.serious).toEqual([]);

    // polled every second: the bar moves before the end
    const seen: number[] = [];
    const deadline = Date.now() + 40_000;
    while ((await card.count()) === 1 && Date.now() < deadline) {
      const now = await bar.getAttribute('aria-valuenow', { timeout: 500 }).catch(() => null);
      if (now !== null) seen.push(Number(now));
      await page.waitForTimeout(200);
    }
    expect(seen.some((value) => value > 0 && value < total), `values seen: ${seen.join(', ')}`).toBe(true);

    // the end: the card goes, the summary is announced, the changes and the history are there
    await expect.poll(() => statusText(page)).toMatch(/^Mise à jour terminée\. Registre mis à jour : /);
    const lastRun = plainSpaces(await page.getByRole('region', { name: 'Dernière mise à jour' }).innerText());
    expect(lastRun).toContain('Registre mis à jour :');
    expect(lastRun).toContain('Manuel');
    expect(lastRun).toContain('Terminée');

    const changes = page.getByRole('list', { name: 'Ce qui a changé' }).getByRole('listitem');
    const refusal = changes.filter({ hasText: refusedName }).filter({ hasText: /URSSAF|refus/i });
    expect(await refusal.count()).toBeGreaterThan(0);

    const history = page.getByRole('table', { name: 'Historique des mises à jour' });
    const rows = history.getByRole('row');
    await expect.poll(() => rows.count()).toBe(2);
    const row = plainSpaces(await rows.nth(1).innerText());
    expect(row).toMatch(/\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    expect(row).toContain('Manuel');
    expect(row).toContain('Terminée');
    expect(row).toContain('Registre mis à jour :');
    expect(await launchButton(page).getAttribute('aria-disabled')).toBe('false');

    // the polling stopped with the run: no more status reads
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/__vigie/invoke') && request.postData()?.includes('refresh.status')) reads.push(request.url());
    });
    await page.waitForTimeout(2_500);
    expect(reads).toEqual([]);

    const scan = await axeScan(page);
    expect(scan.serious).toEqual([]);
    await screenshot(page, '09-mises-a-jour');
    expect(view.problems).toEqual([]);
  });

  it('says in French why a run cannot start without a token', async () => {
    const { view, page } = await session.open({ screen: SCREEN });
    await page.getByRole('region', { name: 'Mises à jour automatiques' }).waitFor();
    await launchButton(page).click();
    const alert = page.getByRole('alert');
    await expect
      .poll(async () => plainSpaces(await alert.textContent()))
      .toContain('Aucun jeton API Entreprise n’est enregistré : ajoutez-le dans l’écran Jeton.');
    expect(await progressCard(page).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Historique des mises à jour' }).count()).toBe(0);
    expect((await axeScan(page)).serious).toEqual([]);
    expect(view.problems).toEqual([]);
  });

  it('follows each pool, pauses, resumes, and cancels only after a confirmation', async () => {
    // answers four seconds late, and six DGFIP attestations for its five a minute: the run is
    // still working after a pause and a resume
    const { view, page } = await startWithSuppliers((all) => all.find(['active', 'urssaf_ok', 'dgfip_known'], 6), 4_000);
    await launchButton(page).click();
    const card = progressCard(page);
    await card.waitFor();
    const dgfip = card.getByRole('row', { name: /Attestation fiscale DGFIP/ });
    expect(plainSpaces(await dgfip.innerText())).toMatch(/^Attestation fiscale DGFIP\s+\d+ sur 6\s+\d+ par minute sur 5 autorisées\s+/);
    expect(plainSpaces(await card.innerText())).toMatch(/Temps restant estimé : (environ \d+ minutes?|moins d’une minute)/);

    await card.getByRole('button', { name: 'Mettre en pause' }).click();
    await page.getByRole('region', { name: 'Mise à jour en pause' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => statusText(page)).toContain('Mise à jour en pause');
    // the same button, now « Reprendre », kept the focus
    expect(await focusedText(page)).toBe('Reprendre');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Mise à jour en cours' }).waitFor();
    await expect.poll(() => statusText(page)).toBe('Mise à jour reprise.');

    await card.getByRole('button', { name: 'Annuler la mise à jour' }).click();
    const dialog = page.getByRole('dialog', { name: 'Annuler la mise à jour ?' });
    await dialog.waitFor();
    expect(plainSpaces(await dialog.innerText())).toContain('Les vérifications déjà faites restent enregistrées');
    expect((await axeScan(page)).serious).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedText(page)).toBe('Annuler la mise à jour');
    expect(await card.count()).toBe(1);

    await card.getByRole('button', { name: 'Annuler la mise à jour' }).click();
    await dialog.getByRole('button', { name: 'Oui, annuler la mise à jour' }).click();
    await card.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => statusText(page)).toMatch(/^Mise à jour du registre annulée : /);
    expect(await focusedText(page)).toBe('Lancer maintenant');
    const rows = page.getByRole('table', { name: 'Historique des mises à jour' }).getByRole('row');
    await expect.poll(async () => plainSpaces(await rows.nth(1).innerText())).toContain('Annulée');
    expect(view.problems).toEqual([]);
  });
});
