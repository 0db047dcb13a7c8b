// The main path of an agent's first day: import the accounting software's CSV, read the
// preview (rejected lines and why), confirm, then find a supplier by typing part of its name.
import { writeFile } from 'node:fs/promises';
import { formatIdentifier } from '../../src-main/common/identifiers';
import { beforeEach, describe, expect, it } from 'vitest';
import { appInBrowserPerTest } from '../harness/browser-session';
import { screenshot, type AppPage } from '../harness/chromium';
import { fakeDialogs } from '../harness/fake-dialogs';
import { makeTempDir, plainSpaces, siretWithBadChecksum, validIdentifiers } from '../harness/fixtures';
import { startRendererHarness } from '../harness/renderer-harness';

const CITIES = ['Annecy', 'Chambéry', 'Grenoble', 'Lyon', 'Valence'];
const ACCENTED_NAMES = ['Société Générale d’Entretien', "Élagage & Paysages de l'Ouest", 'Boulangerie Pâtissière Lefèvre'];

interface Fixture {
  csv: string;
  /** Line numbers in the file (header = line 1) of the two rows the import must reject. */
  badChecksumLine: number;
  badLengthLine: number;
  badChecksumSiret: string;
}

/** 30 valid rows (three with accented names) and 2 invalid ones, as French Excel writes them. */
function supplierCsv(): Fixture {
  const lines = ['Code tiers;Raison sociale;SIRET;Ville'];
  for (let i = 0; i < 30; i += 1) {
    const name = ACCENTED_NAMES[i] ?? `Fournisseur ${String(i + 1).padStart(2, '0')} SARL`;
    lines.push(`F${String(i + 1).padStart(4, '0')};${name};${validIdentifiers(i).siret};${CITIES[i % CITIES.length]}`);
  }
  const badChecksumSiret = siretWithBadChecksum(100);
  lines.push(`F0100;Bâtiments Réunis du Léman;${badChecksumSiret};Thonon-les-Bains`);
  const badChecksumLine = lines.length;
  lines.push('F0101;Crèche Les Mômes;1234567890123;Évian-les-Bains');
  const badLengthLine = lines.length;
  return { csv: `${lines.join('\r\n')}\r\n`, badChecksumLine, badLengthLine, badChecksumSiret };
}

describe('register: CSV import then accent-insensitive search', () => {
  const session = appInBrowserPerTest();
  let app: AppPage;
  let fixture: Fixture;

  beforeEach(async () => {
    const temp = await makeTempDir();
    session.closeAfterTest(() => temp.remove());
    fixture = supplierCsv();
    const csvPath = temp.file('tiers-compta.csv');
    await writeFile(csvPath, fixture.csv, 'utf8');
    const harness = await startRendererHarness({
      databasePath: temp.file('vigie.sqlite3'),
      dialogs: fakeDialogs({ imports: [csvPath] }),
    });
    session.closeAfterTest(() => harness.close());
    app = await session.openWindow(harness, { screen: 'Registre' });
  });

  it('previews the file with its rejected lines, imports it, and finds « Générale » when typing « generale »', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Le registre est vide' }).waitFor();
    await screenshot(page, '20-registre-vide');

    await page.getByRole('button', { name: 'Importer un CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importer un fichier CSV' });
    const forecast = dialog.getByRole('list', { name: 'Résultat prévu' });
    await forecast.waitFor();

    // what was detected, in words
    await expect.poll(() => dialog.locator('dl').innerText()).toContain('tiers-compta.csv');
    const facts = await dialog.locator('dl').innerText();
    expect(facts).toContain('UTF-8');
    expect(facts).toContain('point-virgule');
    expect(facts).toMatch(/Ligne d’en-tête\s+trouvée/);
    expect(facts).toMatch(/Lignes de données\s+32/);

    // the mapping the core suggested from the header
    await expect.poll(() => dialog.getByLabel('Contenu de la colonne 3 (SIRET)').inputValue()).toBe('siret');
    expect(await dialog.getByLabel('Contenu de la colonne 2 (Raison sociale)').inputValue()).toBe('name');

    // counts: 30 to create, 2 rejected
    expect(plainSpaces(await forecast.getByRole('listitem').filter({ hasText: 'à créer' }).textContent())).toBe('30 à créer');
    expect(plainSpaces(await forecast.getByRole('listitem').filter({ hasText: 'rejetées' }).textContent())).toBe('2 rejetées');

    // each rejected line with its number, value and reason
    const rejected = dialog.getByRole('table', { name: /Lignes rejetées/ });
    const checksumRow = rejected.getByRole('row').filter({ hasText: fixture.badChecksumSiret });
    expect(await checksumRow.getByRole('cell').first().textContent()).toBe(String(fixture.badChecksumLine));
    expect(await checksumRow.textContent()).toContain('clé de contrôle est fausse');
    const lengthRow = rejected.getByRole('row').filter({ hasText: '1234567890123' });
    expect(await lengthRow.getByRole('cell').first().textContent()).toBe(String(fixture.badLengthLine));
    expect(await lengthRow.textContent()).toContain('SIRET invalide');
    await screenshot(page, '21-apercu-import');

    const confirm = dialog.getByRole('button', { name: 'Importer 30 lignes' });
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();

    const summary = dialog.getByRole('list', { name: 'Bilan de l’import' });
    await summary.waitFor();
    expect(plainSpaces(await summary.getByRole('listitem').filter({ hasText: 'créés' }).textContent())).toBe('30 créés');
    expect(plainSpaces(await summary.getByRole('listitem').filter({ hasText: 'rejetés' }).textContent())).toBe('2 rejetés');
    await screenshot(page, '22-import-termine');
    await dialog.getByRole('button', { name: 'Fermer', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // the table was refreshed behind the dialog
    const count = page.getByText(/^\d+ fournisseurs?( sur \d+)?$/);
    await expect.poll(() => count.textContent()).toBe('30 fournisseurs');
    const table = page.getByRole('table', { name: 'Fournisseurs' });
    // sorted by name, accents ignored: « Élagage » between « Boulangerie » and « Fournisseur »
    const rows = table.getByRole('rowgroup').nth(1).getByRole('row');
    const nameAt = (index: number) => rows.nth(index).getByRole('cell').first().textContent();
    await expect.poll(() => nameAt(0)).toBe('Boulangerie Pâtissière Lefèvre');
    expect(await nameAt(1)).toBe("Élagage & Paysages de l'Ouest");
    expect(await nameAt(2)).toBe('Fournisseur 04 SARL');
    expect(await page.getByRole('status').textContent()).toContain('30 créés');

    // typed without accents nor capitals, part of a word, at a brisk typing pace
    const searchedTexts: string[] = [];
    page.on('request', (request) => {
      const message = request.url().endsWith('/__vigie/invoke') ? request.postData() : null;
      const parsed = message ? (JSON.parse(message) as { channel: string; payload: { text?: string } }) : null;
      if (parsed?.channel === 'register.search') searchedTexts.push(parsed.payload.text ?? '');
    });
    await page.getByLabel('Rechercher un fournisseur').pressSequentially('generale', { delay: 25 });
    await expect.poll(() => count.textContent()).toBe('1 fournisseur sur 30');
    // debounced: searches once typing pauses, not once per key (a slow machine may add one or two)
    expect(searchedTexts.at(-1)).toBe('generale');
    expect(searchedTexts.length).toBeLessThan(4);
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getByRole('cell').nth(0).textContent()).toBe('Société Générale d’Entretien');
    expect(await row.getByRole('cell').nth(1).textContent()).toBe(formatIdentifier(validIdentifiers(0).siret));
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('F0001');
    expect(await row.getByRole('cell').nth(3).textContent()).toBe('Annecy');
    await screenshot(page, '23-recherche');

    // a city with an accent, typed without it
    await page.getByLabel('Rechercher un fournisseur').fill('chambery');
    await expect.poll(() => count.textContent()).toBe('6 fournisseurs sur 30');

    await page.getByLabel('Rechercher un fournisseur').fill('');
    await expect.poll(() => count.textContent()).toBe('30 fournisseurs');
    expect(app.problems).toEqual([]);
  });

  it('keeps the wizard a modal: mapping changes re-run the preview, Escape closes without importing', async () => {
    const { page } = app;
    const opener = page.getByRole('button', { name: 'Importer un CSV' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Importer un fichier CSV' });
    await dialog.getByRole('list', { name: 'Résultat prévu' }).waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');

    // without an identifier column nothing can be imported
    const siretColumn = dialog.getByLabel('Contenu de la colonne 3 (SIRET)');
    await siretColumn.selectOption({ label: 'Ignorer' });
    await dialog.getByText(/Choisissez la colonne qui contient le SIRET ou le SIREN/).waitFor();
    const confirm = dialog.getByRole('button', { name: /^Importer \d+ lignes?$/ });
    await expect.poll(() => confirm.textContent()).toBe('Importer 0 ligne');
    expect(await confirm.isDisabled()).toBe(true);

    // choosing it again brings the figures back
    await siretColumn.selectOption({ label: 'SIRET' });
    await expect.poll(() => confirm.textContent()).toBe('Importer 30 lignes');
    expect(await confirm.isEnabled()).toBe(true);

    // Tab stays inside the dialog
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      expect(await page.locator('[role="dialog"]:focus, [role="dialog"] :focus').count()).toBe(1);
    }

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.and(page.locator(':focus')).count()).toBe(1);
    // nothing was written
    await page.getByRole('heading', { name: 'Le registre est vide' }).waitFor();
    expect(app.problems).toEqual([]);
  });
});
