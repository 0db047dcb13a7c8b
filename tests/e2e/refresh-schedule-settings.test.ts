// The night schedule and the freshness rules as the user sets them, against the real core: the
// window and a rule changed in « Paramètres », saved, applied to the engine and shown again on
// both screens; French errors tied to their fields; the question about a night missed while
// Vigie was closed, answered on « Mises à jour » and on the dashboard; axe scans.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppWithFakeApi } from '../harness/app-with-fake-api';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { describedByText, isFocused, screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';

const HOUR = 3_600_000;

describe('night schedule and freshness settings', () => {
  const session = appInBrowserPerTest();

  async function settingsPage(started: AppWithFakeApi) {
    const answer = await started.harness.core.dispatch('refresh.settings.get', {});
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as { settings: Record<string, unknown>; nextRunAt: string | null };
  }

  /** Vigie was closed during a night window that ended an hour ago (in the core's local time), then opened. */
  async function openedAfterAMissedNight(started: AppWithFakeApi): Promise<string> {
    const hhmm = (at: number) => {
      const date = new Date(at);
      return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
    };
    const now = Date.now();
    const updated = await started.harness.core.dispatch('refresh.settings.update', { nightStart: hhmm(now - 3 * HOUR), nightEnd: hhmm(now - HOUR) });
    if (!updated.ok) throw new Error(updated.error.message);
    // the last night Vigie took care of: two days ago
    started.harness.core.refresh.settings.markCovered(now - 48 * HOUR);
    started.harness.core.refresh.start();
    const status = started.harness.core.refresh.status();
    const missed = status.pendingCatchUp?.missedNight;
    if (!missed) throw new Error('no pending catch-up');
    const [year, month, day] = missed.split('-');
    return `${day}/${month}/${year}`;
  }

  function policySection(page: Page) {
    return page.getByRole('region', { name: 'Mise à jour de nuit' });
  }

  it('changes the window and a rule in Paramètres: saved, applied, shown again here and on Mises à jour', async () => {
    const app = await session.start();
    const { page, problems } = await session.openWindow(app.harness, { screen: 'Paramètres' });
    const section = policySection(page);
    const start = section.getByLabel('Début');
    const end = section.getByLabel('Fin');
    await expect.poll(() => start.inputValue()).toBe('01:00');
    expect(await end.inputValue()).toBe('05:00');
    expect(await section.getByRole('radio', { name: 'Me demander' }).isChecked()).toBe(true);
    const company = section.getByLabel('Entreprises : vérifier les informations tous les');
    expect(await company.inputValue()).toBe('7');
    expect(await describedByText(page, company)).toContain('jours (de 1 à 3 650)');
    const dgfip = section.getByRole('checkbox', { name: 'Attestation fiscale (DGFIP)' });
    expect(await dgfip.isChecked()).toBe(true);
    expect(await section.getByRole('checkbox', { name: 'Certification Qualibat' }).isChecked()).toBe(false);

    await end.fill('06:30');
    await company.fill('14');
    await dgfip.uncheck();
    await section.getByRole('radio', { name: 'Lancer automatiquement' }).check();
    await section.getByRole('button', { name: 'Enregistrer la mise à jour de nuit' }).click();
    await expect.poll(async () => plainSpaces(await section.locator('.section-message').textContent())).toBe(
      'Réglages de la mise à jour de nuit enregistrés.',
    );

    const saved = await settingsPage(app);
    expect(saved.settings).toMatchObject({ nightStart: '01:00', nightEnd: '06:30', companyMaxAgeDays: 14, catchUp: 'auto' });
    expect(saved.settings.enabledEndpoints).not.toContain('dgfip.attestation_fiscale');
    const policy = app.harness.core.refresh.engine.currentPolicy;
    expect(policy.company.maxAgeDays).toBe(14);
    expect(policy.nightWindowHours).toBe(5.5);
    expect(policy.enabledEndpoints).not.toContain('dgfip.attestation_fiscale');

    // the other screen shows the same window, in the same fields
    const refresh = await session.openWindow(app.harness, { screen: 'Mises à jour' });
    const planning = refresh.page.getByRole('region', { name: 'Planification' });
    await expect.poll(() => planning.getByLabel('Fin').inputValue()).toBe('06:30');
    expect(await planning.getByRole('radio', { name: 'Lancer automatiquement' }).isChecked()).toBe(true);
    expect(plainSpaces(await refresh.page.getByRole('region', { name: 'Mises à jour automatiques' }).innerText())).toContain(
      'entre 1 h et 6 h 30',
    );
    // moved from there: the settings screen reads it back
    await planning.getByLabel('Début').fill('23:00');
    await planning.getByRole('button', { name: 'Enregistrer la planification' }).click();
    await expect.poll(async () => (await settingsPage(app)).settings.nightStart).toBe('23:00');
    // the core's next start is 23:00 on this computer's clock; the screen says it in the town hall's time
    const nextRunAt = (await settingsPage(app)).nextRunAt;
    expect(new Date(nextRunAt ?? '').getHours()).toBe(23);
    expect(plainSpaces(await planning.innerText())).toMatch(/Prochaine mise à jour prévue : nuit du \d{2}\/\d{2}\/\d{4} à \d{1,2} h/);
    const again = await session.openWindow(app.harness, { screen: 'Paramètres' });
    await expect.poll(() => policySection(again.page).getByLabel('Début').inputValue()).toBe('23:00');
    expect(await policySection(again.page).getByLabel('Entreprises : vérifier les informations tous les').inputValue()).toBe('14');

    const scan = await axeScan(page);
    expect(scan.serious).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('says in French what is wrong, next to the field, and saves nothing', async () => {
    const app = await session.start();
    const { page } = await session.openWindow(app.harness, { screen: 'Paramètres' });
    const section = policySection(page);
    const company = section.getByLabel('Entreprises : vérifier les informations tous les');
    await expect.poll(() => company.inputValue()).toBe('7');

    await company.fill('0');
    await page.keyboard.press('Tab');
    await expect.poll(() => company.getAttribute('aria-invalid')).toBe('true');
    expect(await describedByText(page, company)).toContain('Le nombre de jours doit être compris entre 1 et 3 650 jours');

    const ceased = section.getByLabel('Entreprises cessées : vérifier les informations tous les');
    await ceased.fill('trois');
    const end = section.getByLabel('Fin');
    await end.fill('01:05');
    await section.getByRole('button', { name: 'Enregistrer la mise à jour de nuit' }).click();
    await expect.poll(() => end.getAttribute('aria-invalid')).toBe('true');
    expect(await describedByText(page, end)).toContain('La plage de nuit doit durer au moins 15 minutes');
    expect(await describedByText(page, ceased)).toContain('en nombre entier de jours');
    expect(plainSpaces(await section.locator('.section-message').textContent())).toBe(
      'Les réglages n’ont pas été enregistrés : corrigez les champs signalés.',
    );
    // the first field to correct has the focus
    expect(await isFocused(page, end)).toBe(true);

    // nothing checked: said on the group
    await section.getByRole('checkbox', { name: 'Unité légale (INSEE)' }).uncheck();
    await section.getByRole('checkbox', { name: 'Établissement (INSEE)' }).uncheck();
    await section.getByRole('checkbox', { name: 'Attestation de vigilance (URSSAF)' }).uncheck();
    await section.getByRole('checkbox', { name: 'Attestation fiscale (DGFIP)' }).uncheck();
    const group = section.getByRole('group', { name: 'Données tenues à jour la nuit' });
    await expect.poll(() => describedByText(page, group)).toContain('Cochez au moins une donnée à tenir à jour la nuit.');

    const saved = await settingsPage(app);
    expect(saved.settings).toMatchObject({ nightEnd: '05:00', companyMaxAgeDays: 7, ceasedMaxAgeDays: 90 });
    // the core refuses what the form would have refused, in French too
    const refused = await app.harness.core.dispatch('refresh.settings.update', { attestationMaxAgeDays: 5_000 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('entre 1 et 3') } });

    const scan = await axeScan(page);
    expect(scan.serious).toEqual([]);
    await screenshot(page, 'parametres-mise-a-jour-de-nuit-erreurs');
  });

  it('asks about the missed night on Mises à jour, and « Lancer maintenant » runs it as a catch-up', async () => {
    const app = await session.start();
    await app.storeToken(app.mintToken());
    const missedNight = await openedAfterAMissedNight(app);
    const { page } = await session.openWindow(app.harness, { screen: 'Mises à jour' });
    const banner = page.getByRole('region', { name: 'Mise à jour de nuit manquée' });
    await banner.waitFor();
    expect(plainSpaces(await banner.innerText())).toContain(`La mise à jour de la nuit du ${missedNight} n’a pas eu lieu : Vigie était fermé.`);
    const scan = await axeScan(page);
    expect(scan.serious).toEqual([]);
    await screenshot(page, 'mises-a-jour-nuit-manquee');

    await banner.getByRole('button', { name: 'Lancer maintenant la mise à jour manquée' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(app.harness.core.refresh.status().pendingCatchUp).toBeNull();
    const history = page.getByRole('table', { name: 'Historique des mises à jour' });
    await expect.poll(async () => plainSpaces(await history.innerText().catch(() => ''))).toContain('Rattrapage d’une nuit manquée');
  });

  it('shows the question on the dashboard too; « Plus tard » lets that night go', async () => {
    const app = await session.start();
    const missedNight = await openedAfterAMissedNight(app);
    const { page } = await session.openWindow(app.harness);
    const banner = page.getByRole('region', { name: 'Mise à jour de nuit manquée' });
    await banner.waitFor();
    expect(plainSpaces(await banner.innerText())).toContain(`nuit du ${missedNight} n’a pas eu lieu`);
    const scan = await axeScan(page);
    expect(scan.serious).toEqual([]);

    await banner.getByRole('button', { name: 'Plus tard' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    expect(plainSpaces(await page.locator('.section-message').textContent())).toBe('La mise à jour manquée ne sera pas faite.');
    expect(app.harness.core.refresh.status().pendingCatchUp).toBeNull();
    const runs = await app.harness.core.dispatch('refresh.history', {});
    expect(runs).toEqual({ ok: true, value: [] });
    // opened again: not asked again about that night
    app.harness.core.refresh.start();
    expect(app.harness.core.refresh.status().pendingCatchUp).toBeNull();
  });
});
