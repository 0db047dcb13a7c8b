// After a restart that replaced the register: one banner says how it went (a failure as an alert,
// with the register from before named as the one open), closed by the user, never shown twice.
import { describe, expect, it } from 'vitest';
import { leaveRestartNotice, replacementNotice } from '../../src-main/node/safety/restart-notice';
import { BackupError } from '../../src-main/node/safety/database-backup';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { isFocused, screenshot } from '../harness/chromium';
import { plainSpaces } from '../harness/fixtures';

describe('the banner after a register replacement', () => {
  const session = appInBrowserPerTest();

  it('says a failed restore kept the register from before, once, and gives the focus back when closed', async () => {
    const app = await session.start();
    leaveRestartNotice(
      app.temp.path,
      replacementNotice(new BackupError('backup_corrupt', 'Cette sauvegarde est endommagée : elle ne peut pas être utilisée.', 'integrity_check: page 4'), new Date('2026-11-28T13:05:00Z')),
    );
    const { page } = await session.openWindow(app.harness);
    const banner = page.getByRole('alert').filter({ hasText: 'Registre non remplacé' });
    await expect.poll(() => banner.count()).toBe(1);
    const text = plainSpaces(await banner.innerText());
    expect(text).toContain('Le remplacement du registre n’a pas abouti : Vigie a repris le registre d’avant, qui n’a pas changé.');
    expect(text).toContain('Cette sauvegarde est endommagée : elle ne peut pas être utilisée.');
    expect(text).toContain('Le 28/11/2026 à 14:05');
    expect(text).not.toContain('integrity_check');
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, 'bandeau-registre-non-remplace');

    await banner.getByRole('button', { name: 'Fermer ce message' }).click();
    await expect.poll(() => page.getByText('Registre non remplacé').count()).toBe(0);
    expect(await isFocused(page, page.locator('#titre-ecran'))).toBe(true);
    // handed out once: a new window shows nothing
    const again = await session.openWindow(app.harness);
    await again.page.getByRole('heading', { level: 1 }).waitFor();
    expect(await again.page.getByText('Registre non remplacé').count()).toBe(0);
  });

  it('says a successful replacement as a status, with the old register kept aside', async () => {
    const app = await session.start();
    leaveRestartNotice(app.temp.path, replacementNotice(null, new Date('2026-11-28T13:05:00Z')));
    const { page } = await session.openWindow(app.harness);
    const banner = page.getByRole('status').filter({ hasText: 'Registre remplacé' });
    await expect.poll(() => banner.count()).toBe(1);
    expect(plainSpaces(await banner.innerText())).toContain('L’ancien registre est conservé à côté, dans le dossier des données de Vigie.');
  });
});
