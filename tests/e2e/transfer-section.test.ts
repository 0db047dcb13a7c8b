// « Changer de poste » in Paramètres: the export goes through the main process's save dialog and
// reports what it wrote; the import checks the archive, summarizes it (« Archive du JJ/MM/AAAA :
// … fournisseurs, … documents ») and asks for confirmation, saying that the register is replaced
// (kept aside) and that the token is entered again. The harness, like any place without the
// desktop shell, answers the confirmation in French that the import needs the installed app.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transferArchiveFileName } from '../../src-main/node/app/transfer-handlers';
import { DocumentStore } from '../../src-main/node/documents/document-store';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { axeScan } from '../harness/axe';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { makeTempDir, plainSpaces, validIdentifiers } from '../harness/fixtures';

/** « 28/11/2026 », as the section shows the archive's day (Paris time). */
function frenchDay(at: Date): string {
  return new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' }).format(at);
}

describe('« Changer de poste » in Paramètres', () => {
  const session = appInBrowserPerTest();

  it('exports through the save dialog, previews the archive, and confirms before replacing the register', async () => {
    const usb = await makeTempDir('vigie-e2e-usb-');
    session.closeAfterTest(() => usb.remove());
    const archive = join(usb.path, transferArchiveFileName(new Date()));
    const notAnArchive = join(usb.path, 'compte-rendu.zip');
    await writeFile(notAnArchive, 'Compte rendu du conseil municipal\n');
    const dialogs = fakeDialogs({ transferExports: [archive], transferImports: [notAnArchive, archive] });
    const app = await session.start({ dialogs });
    const core = app.harness.core;
    const repository = new SupplierRepository(core.db);
    for (let n = 1; n <= 3; n++) repository.upsert({ ...validIdentifiers(n), name: `Fournisseur ${n}`, city: 'Annecy' });
    const stored = await new DocumentStore({ root: join(app.temp.path, 'documents') }).put(Buffer.from('%PDF-1.7\n% attestation\n%%EOF\n'), 'application/pdf');
    core.db
      .prepare('INSERT INTO documents (sha256, size_bytes, media_type, stored_path, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(stored.sha256, stored.sizeBytes, 'application/pdf', stored.storedPath, new Date().toISOString());

    const { page } = await session.openWindow(app.harness, { screen: 'Paramètres' });
    const section = page.getByRole('region', { name: 'Changer de poste' });
    await expect.poll(() => section.count()).toBe(1);

    await section.getByRole('button', { name: 'Exporter le registre pour un autre poste' }).click();
    const status = section.getByRole('status');
    await expect.poll(async () => plainSpaces(await status.textContent())).toMatch(/^Archive « vigie-transfert-\d{4}-\d{2}-\d{2}\.zip » enregistrée \(\d+ Ko\) : 3 fournisseurs, 1 document\. Copiez-la sur le nouveau poste\.$/);
    expect(dialogs.proposedTransferNames).toEqual([transferArchiveFileName(new Date())]);

    // a file that is not an archive: refused in French, nothing to confirm
    await section.getByRole('button', { name: 'Importer le registre d’un autre poste' }).click();
    await expect.poll(async () => plainSpaces(await section.getByRole('alert').textContent())).toMatch(/^Ce fichier n’est pas une archive de transfert lisible/);
    expect(await page.getByRole('dialog').count()).toBe(0);

    await section.getByRole('button', { name: 'Importer le registre d’un autre poste' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remplacer le registre de ce poste ?' });
    await expect.poll(() => dialog.count()).toBe(1);
    const summary = `Archive du ${frenchDay(new Date())} : 3 fournisseurs, 1 document`;
    expect(plainSpaces(await dialog.textContent())).toContain(summary);
    expect(plainSpaces(await dialog.textContent())).toContain('Le registre actuel de ce poste et ses documents seront remplacés');
    expect(plainSpaces(await dialog.textContent())).toContain('gardés de côté');
    expect(plainSpaces(await dialog.textContent())).toContain('saisissez-le à nouveau dans l’écran Jeton');
    expect(plainSpaces(await status.textContent())).toContain(summary);
    expect((await axeScan(page)).serious).toEqual([]);
    await screenshot(page, 'transfer-confirmation');

    await dialog.getByRole('button', { name: 'Remplacer et redémarrer' }).click();
    await expect
      .poll(async () => plainSpaces(await section.getByRole('alert').textContent()))
      .toMatch(/^L’import depuis un autre poste se fait depuis l’application installée\./);
    expect((await axeScan(page)).serious).toEqual([]);
  }, 60_000);
});
