// Every screen of the app walked as an agent would, over a register of more than a thousand
// suppliers built from the fake API Entreprise's population, in one browser: the dashboard's counts
// checked against the database, the register searched as one types, filtered by each compliance
// state and sorted, an up-to-date supplier's screen and its URSSAF PDF read from pdf.js's text
// layer, the call journal filtered, the finished run's report, the settings, and the token
// replaced. Each screen is scanned by axe-core (no serious or critical violation) and saved to
// $VIGIE_SCREENSHOTS when it is set.
//
// Where the data comes from. A real refresh of a thousand suppliers cannot be quick: each one needs
// three calls (INSEE unité légale and établissement, URSSAF), and Vigie itself never sends more
// than 2,000 calls in ten minutes from one installation, nor URSSAF more than 100 a minute; it
// would take well over ten minutes. So:
// - SUBSET_SIZE companies of the population (every URSSAF answer among them: attestation, refusal,
//   unknown) are added as an agent adds a supplier (`supplier.create`) and refreshed for real by a
//   manual run (`refresh.start`) through the core's client, rate limiter, refresh engine and
//   document store. Sized so that its URSSAF calls fit in one of the fake API's one-minute windows
//   (100 a minute, as the real server), and the commune's token does not open the DGFIP
//   attestation fiscale (5 calls a minute): the run takes seconds, not minutes;
// - the ten suppliers of seedComplianceStates bring the states no fresh attestation can be in
//   (expiring within 30 days, expired); they are in the register during the run too, unknown to
//   the fake API, so the journal holds real « non trouvé » answers;
// - the rest of the population up to REGISTER_SIZE is written through the production supplier
//   repository with each company's own name, SIRET, town and status, never refreshed yet (their
//   compliance state is « inconnue », as after an import).
// « Non habilité » is a state of the token, not of a supplier: it shows once the walk has replaced
// the token with one that may not ask URSSAF.
//
// The steps below run in order on one page, each going on from where the previous one left it.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLIANCE_LABELS } from '../../src-main/common/attestation-labels';
import { formatIdentifier } from '../../src-main/common/identifiers';
import type { IpcChannel } from '../../src-main/common/ipc-channels';
import type { IpcRequest, IpcResponse } from '../../src-main/common/ipc-contract';
import { ENDPOINTS } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import type { VigieCore } from '../../src-main/node/app/vigie-core';
import { CATALOGUE_SCOPES } from '../../src-main/node/fake-api/dev-token';
import { streetLine } from '../../src-main/node/fake-api/payloads/payload-context';
import type { SyntheticCompany } from '../../src-main/node/fake-api/synthetic-companies';
import type { SupplierInput } from '../../src-main/node/register/supplier-repository';
import { COMPLIANCE_STATES, tileCounts, type ComplianceState, type TileCounts } from '../harness/dashboard-tiles';
import { COMMUNE_SIRET, startAppWithFakeApi, type AppWithFakeApi } from '../harness/app-with-fake-api';
import { axeScan } from '../harness/axe';
import { goToScreen, launchChromium, mainNavigation, openApp, screenshot, type AppPage } from '../harness/chromium';
import { cleanUp, plainSpaces } from '../harness/fixtures';
import { seedComplianceStates, seedSuppliers } from '../harness/seed';

const POPULATION = 1_200;
const REGISTER_SIZE = 1_010;
const SUBSET_SIZE = 60;

const STATES = COMPLIANCE_STATES;
type State = ComplianceState;
type Counts = TileCounts;

const URSSAF_SCOPE = ENDPOINTS['urssaf.attestation_vigilance'].scope;
const DGFIP_SCOPE = ENDPOINTS['dgfip.attestation_fiscale'].scope;

async function call<C extends IpcChannel>(core: VigieCore, channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
  const answer = await core.dispatch(channel, request);
  if (!answer.ok) throw new Error(`${channel} failed: ${answer.error.message}`);
  return answer.value as IpcResponse<C>;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Each supplier's compliance state worked out from the database here, not by the core's SQL: the
 * latest URSSAF attestation of its SIREN decides, as the obligation de vigilance reads it.
 */
function statesFromDatabase(core: VigieCore, urssafAuthorized: boolean): { active: Counts; all: Counts } {
  const now = new Date();
  const today = isoDay(now);
  const soon = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 30)));
  const latest = new Map<string, { status: string; valid_until: string | null }>();
  const attestations = core.db
    .prepare("SELECT siren, status, valid_until FROM attestations WHERE kind = 'urssaf_vigilance' ORDER BY fetched_at, id")
    .all() as { siren: string; status: string; valid_until: string | null }[];
  for (const row of attestations) latest.set(row.siren, row);
  const zero = (): Counts => ({ a_jour: 0, expire_bientot: 0, expiree: 0, refus: 0, inconnue: 0, non_habilite: 0 });
  const counts = { active: zero(), all: zero() };
  const suppliers = core.db.prepare('SELECT siren, active FROM suppliers').all() as { siren: string; active: number }[];
  for (const supplier of suppliers) {
    const attestation = latest.get(supplier.siren);
    let state: State;
    if (attestation?.status === 'refused') state = 'refus';
    else if (attestation?.status === 'delivered') {
      const until = attestation.valid_until;
      state = until === null ? 'a_jour' : until < today ? 'expiree' : until <= soon ? 'expire_bientot' : 'a_jour';
    } else state = urssafAuthorized ? 'inconnue' : 'non_habilite';
    counts.all[state] += 1;
    if (supplier.active === 1) counts.active[state] += 1;
  }
  return counts;
}

/** "1 010", with the plain space plainSpaces() leaves of French digit grouping. */
function frenchCount(n: number): string {
  return plainSpaces(new Intl.NumberFormat('fr-FR').format(n));
}

/** What the register's count line says for `count` suppliers out of `total` (French plural). */
function countLine(count: number, total: number): string {
  const found = count === 0 ? 'Aucun fournisseur' : `${frenchCount(count)} ${count >= 2 ? 'fournisseurs' : 'fournisseur'}`;
  return `${found} sur ${frenchCount(total)}`;
}

function asSupplier(company: SyntheticCompany): SupplierInput & { siret: string } {
  const head = company.establishments[0];
  if (!head) throw new Error(`company ${company.siren} has no establishment`);
  return {
    siren: company.siren,
    siret: head.siret,
    name: company.name,
    accountingCode: `F${String(company.index).padStart(5, '0')}`,
    address: streetLine(head),
    postalCode: head.address.town.postalCode,
    city: head.address.town.name,
    tags: [company.activity.sector],
    // the commune no longer works with a company that ceased
    active: company.ceasedOn === null,
  };
}

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const report = await axeScan(page);
  expect(report.serious, `serious or critical axe violations on ${screen}`).toEqual([]);
}

describe('every screen walked over a register of more than a thousand suppliers from the fake API', () => {
  let browser: Browser;
  let app: AppWithFakeApi;
  let view: AppPage;
  let core: VigieCore;
  /** The up-to-date supplier whose screen and PDF the walk opens. */
  let upToDate: SyntheticCompany;
  let subset: SyntheticCompany[];
  let expected: { active: Counts; all: Counts };

  beforeAll(async () => {
    browser = await launchChromium();
    app = await startAppWithFakeApi({ companyCount: POPULATION });
    core = app.harness.core;
    const companies = app.api.companies;
    // the commune's authorization: everything but the DGFIP attestation fiscale (see the header)
    await app.storeToken(app.mintToken({ scopes: CATALOGUE_SCOPES.filter((scope) => scope !== DGFIP_SCOPE) }));

    const seeded = seedComplianceStates(core);

    // the refreshed part: every URSSAF answer, protected data, an association, then the first active companies
    const chosen = new Map<string, SyntheticCompany>();
    const pick = (found: SyntheticCompany[]) => found.forEach((company) => chosen.set(company.siren, company));
    pick(companies.find(['active', 'urssaf_refused'], 3));
    pick(companies.find(['active', 'urssaf_unknown'], 3));
    pick(companies.find(['active', 'urssaf_ok', 'partially_diffusible'], 2));
    pick(companies.find(['active', 'association'], 1));
    const plain = [...companies.all()].find(
      (c) => c.ceasedOn === null && c.coverage.urssaf === 'ok' && c.diffusion === 'diffusible' && c.type === 'personne_morale' && !c.association,
    );
    if (!plain) throw new Error('no plain up-to-date company in the population');
    upToDate = plain;
    pick([plain]);
    for (const company of companies.all()) {
      if (chosen.size >= SUBSET_SIZE) break;
      if (company.ceasedOn === null) chosen.set(company.siren, company);
    }
    subset = [...chosen.values()];
    for (const company of subset) {
      const { siret, ...fields } = asSupplier(company);
      await call(core, 'supplier.create', { identifier: siret, ...fields });
    }

    const finished = new Promise<string>((resolve) => {
      const stop = core.refresh.engine.onFinished((end) => {
        stop();
        resolve(end.state);
      });
    });
    const launched = await call(core, 'refresh.start', {});
    expect(launched.message).toBeNull();
    expect(await finished).toBe('completed');

    // the rest of the register, never refreshed yet
    const rest: SupplierInput[] = [];
    for (const company of companies.all()) {
      if (rest.length >= REGISTER_SIZE - subset.length - seeded.suppliers) break;
      if (!chosen.has(company.siren)) rest.push(asSupplier(company));
    }
    seedSuppliers(core, rest);
    expect(await call(core, 'register.stats', {})).toMatchObject({ suppliers: REGISTER_SIZE });

    expected = statesFromDatabase(core, true);
    view = await openApp(browser, app.harness);
  }, 90_000);

  afterAll(async () => {
    await cleanUp(
      () => view?.context.close(),
      () => app?.close(),
      () => browser?.close(),
    );
  });

  it('fetched the subset for real: each supplier is in the state its fake API answer says', () => {
    const latest = core.db.prepare(
      "SELECT status FROM attestations WHERE siren = ? AND kind = 'urssaf_vigilance' ORDER BY fetched_at DESC, id DESC LIMIT 1",
    );
    const snapshot = core.db.prepare('SELECT name FROM company_snapshots WHERE siren = ? ORDER BY id DESC LIMIT 1');
    for (const company of subset) {
      const row = latest.get(company.siren) as { status: string } | undefined;
      const wanted = { ok: 'delivered', refus_de_delivrance: 'refused', unknown: undefined }[company.coverage.urssaf];
      expect(row?.status, `${company.name}: URSSAF ${company.coverage.urssaf}`).toBe(wanted);
      expect(snapshot.get(company.siren), company.name).toBeDefined();
    }
    // at least one supplier in each state a supplier can be in; « non habilité » comes with the token, later
    for (const state of STATES.filter((s) => s !== 'non_habilite')) expect(expected.active[state], state).toBeGreaterThan(0);
    expect(expected.active.non_habilite).toBe(0);
  });

  it('Tableau de bord: the count of each compliance state, as in the database', async () => {
    const { page } = view;
    expect(await tileCounts(page)).toEqual(expected.active);
    const activeCount = Object.values(expected.active).reduce((sum, n) => sum + n, 0);
    const suppliers = plainSpaces(await page.getByRole('region', { name: 'Fournisseurs', exact: true }).innerText());
    expect(suppliers).toContain(`sur ${frenchCount(REGISTER_SIZE)} fournisseurs au registre`);
    expect(plainSpaces(await page.getByRole('region', { name: 'Conformité des fournisseurs actifs' }).textContent())).toContain(
      `de chacun des ${frenchCount(activeCount)} fournisseurs actifs`,
    );
    // the run's changes reach the dashboard: the URSSAF refusals it found
    const refused = subset.find((c) => c.coverage.urssaf === 'refus_de_delivrance');
    const changes = page.getByRole('region', { name: 'Changements depuis la dernière mise à jour' });
    await expect.poll(async () => (await changes.textContent()) ?? '').toContain(refused?.name ?? '(none)');
    await screenshot(page, 'parcours-01-tableau-de-bord');
    await expectAccessible(page, 'Tableau de bord');
  });

  it('Registre: search as one types, the filter of each compliance state, the sort', async () => {
    const { page } = view;
    // by keyboard: the navigation button, then Enter
    await mainNavigation(page).getByRole('button', { name: 'Registre', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Registre des tiers' }).waitFor();
    const table = page.getByRole('table', { name: 'Fournisseurs' });
    const count = page.locator('.result-count');
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe(
      `${frenchCount(REGISTER_SIZE)} fournisseurs`,
    );
    expect(await table.getAttribute('aria-rowcount')).toBe(String(REGISTER_SIZE + 1));

    // search as one types: a word of the name, then the SIREN, letter by letter
    const search = page.getByRole('searchbox', { name: 'Rechercher un fournisseur' });
    const word = (upToDate.name.match(/[\p{L}]{4,}/u) ?? [upToDate.name])[0];
    await search.pressSequentially(word.toLowerCase(), { delay: 20 });
    await table.getByRole('button', { name: upToDate.name, exact: true }).first().waitFor();
    await expect.poll(async () => plainSpaces(await count.textContent())).toMatch(new RegExp(`^\\d+ fournisseurs? sur ${frenchCount(REGISTER_SIZE)}$`));
    const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (const row of await table.locator('tbody tr').allTextContents()) expect(fold(row)).toContain(fold(word));
    await search.fill('');
    await search.pressSequentially(formatIdentifier(upToDate.siren), { delay: 20 });
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe(countLine(1, REGISTER_SIZE));
    expect(await table.getByRole('button', { name: upToDate.name, exact: true }).count()).toBe(1);
    await search.fill('');

    // each compliance state, all suppliers (active and inactive) as the register lists them
    const filter = page.getByLabel('Vigilance URSSAF');
    for (const state of STATES) {
      await filter.selectOption({ label: COMPLIANCE_LABELS[state] });
      await expect.poll(async () => plainSpaces(await count.textContent()), { message: state }).toBe(
        countLine(expected.all[state], REGISTER_SIZE),
      );
    }
    // the refusals: the refused companies of the subset are listed
    await filter.selectOption({ label: COMPLIANCE_LABELS.refus });
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe(countLine(expected.all.refus, REGISTER_SIZE));
    for (const company of subset.filter((c) => c.coverage.urssaf === 'refus_de_delivrance')) {
      await table.getByRole('button', { name: company.name, exact: true }).waitFor();
    }
    await screenshot(page, 'parcours-02-registre-refus');
    await expectAccessible(page, 'Registre');
    await filter.selectOption({ label: 'Tous les états' });

    // sort by town, one way then the other, as the database orders them
    const firstCity = () => table.locator('tbody tr').first().locator('.col-city').textContent();
    const cityAt = (direction: 'ASC' | 'DESC') =>
      (core.db.prepare(`SELECT city FROM suppliers ORDER BY city COLLATE NOCASE ${direction}, id ${direction} LIMIT 1`).get() as { city: string })
        .city;
    const cityHeader = table.getByRole('columnheader', { name: 'Ville' });
    await cityHeader.getByRole('button').click();
    await expect.poll(() => cityHeader.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(firstCity).toBe(cityAt('ASC'));
    await cityHeader.getByRole('button').click();
    await expect.poll(() => cityHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(firstCity).toBe(cityAt('DESC'));
    await screenshot(page, 'parcours-03-registre-tri-ville');
    await expectAccessible(page, 'Registre trié');
    // back to the name order for the rest of the walk
    await table.getByRole('columnheader', { name: 'Raison sociale' }).getByRole('button').click();
    await expect.poll(() => table.getByRole('columnheader', { name: 'Raison sociale' }).getAttribute('aria-sort')).toBe('ascending');
  });

  it('Fiche fournisseur: an up-to-date supplier with its INSEE data, attestation and calls', async () => {
    const { page } = view;
    await goToScreen(page, 'Registre');
    await page.getByRole('searchbox', { name: 'Rechercher un fournisseur' }).fill(upToDate.siren);
    const nameButton = page.getByRole('table', { name: 'Fournisseurs' }).getByRole('button', { name: upToDate.name, exact: true });
    await nameButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Fiche fournisseur' }).waitFor();
    await page.getByRole('heading', { level: 2, name: upToDate.name }).waitFor();

    const snapshot = core.db
      .prepare('SELECT legal_form, activity_code FROM company_snapshots WHERE siren = ? ORDER BY id DESC LIMIT 1')
      .get(upToDate.siren) as { legal_form: string; activity_code: string };
    const insee = plainSpaces(await page.getByRole('region', { name: 'Entreprise (INSEE)' }).innerText());
    expect(insee).toContain(snapshot.legal_form);
    expect(insee).toContain(snapshot.activity_code);
    expect(snapshot.activity_code.replace('.', '')).toBe(upToDate.activity.code.replace('.', ''));
    const establishments = plainSpaces(await page.getByRole('region', { name: 'Établissements' }).innerText());
    expect(establishments).toContain(formatIdentifier(upToDate.establishments[0]?.siret ?? ''));
    expect(establishments).toContain(upToDate.establishments[0]?.address.town.name ?? '(none)');

    const attestation = core.db
      .prepare(
        "SELECT valid_from, valid_until, security_code FROM attestations WHERE siren = ? AND kind = 'urssaf_vigilance' ORDER BY id DESC LIMIT 1",
      )
      .get(upToDate.siren) as { valid_from: string; valid_until: string; security_code: string };
    const day = (iso: string) => iso.split('-').reverse().join('/');
    const card = page.getByRole('article', { name: 'Attestation de vigilance (URSSAF)' });
    const cardText = plainSpaces(await card.innerText());
    expect(cardText).toContain('À jour');
    expect(cardText).toContain(`du ${day(attestation.valid_from)} au ${day(attestation.valid_until)}`);
    expect(cardText).toContain(attestation.security_code);
    const calls = plainSpaces(await page.getByRole('table', { name: 'Derniers appels pour ce fournisseur' }).innerText());
    for (const label of ['Unité légale (INSEE)', 'Établissement (INSEE)', 'Attestation de vigilance (URSSAF)']) expect(calls).toContain(label);

    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'parcours-04-fiche-fournisseur');
    await expectAccessible(page, 'Fiche fournisseur');
  });

  it('Visionneuse: the URSSAF PDF, its first page read from the text layer', async () => {
    const { page } = view;
    await page.getByRole('heading', { level: 2, name: upToDate.name }).waitFor();
    await page.getByRole('article', { name: 'Attestation de vigilance (URSSAF)' }).getByRole('button', { name: /Voir le document/ }).click();
    const viewer = page.getByRole('dialog', { name: /Visionneuse/ });
    await viewer.waitFor();
    await expect.poll(() => viewer.locator('.page-indicator').textContent(), { timeout: 15_000 }).toBe('Page 1 sur 1');
    const attestation = core.db
      .prepare("SELECT valid_until, security_code FROM attestations WHERE siren = ? AND kind = 'urssaf_vigilance' ORDER BY id DESC LIMIT 1")
      .get(upToDate.siren) as { valid_until: string; security_code: string };
    // the text pdf.js laid over the canvas: what the fake API wrote in this company's attestation
    const textLayer = viewer.locator('.textLayer');
    await expect.poll(async () => plainSpaces(await textLayer.textContent()), { timeout: 15_000 }).toContain('Attestation de vigilance');
    const text = plainSpaces(await textLayer.textContent());
    expect(text).toContain('URSSAF');
    expect(text).toContain(`SIREN : ${formatIdentifier(upToDate.siren)}`);
    expect(text).toContain(`Fin de validité : ${attestation.valid_until.split('-').reverse().join('/')}`);
    expect(text).toContain(`Code de sécurité : ${attestation.security_code}`);
    expect(text).toContain('DOCUMENT FICTIF');
    expect(Number(await viewer.locator('canvas.pdf-canvas').getAttribute('width'))).toBeGreaterThan(100);
    await screenshot(page, 'parcours-05-visionneuse');
    await expectAccessible(page, 'Visionneuse');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('Journal des appels: every call of the run, then only the failed URSSAF ones', async () => {
    const { page } = view;
    await goToScreen(page, 'Journal des appels');
    const count = page.locator('.result-count');
    const total = (where: string) => (core.db.prepare(`SELECT count(*) AS n FROM call_journal ${where}`).get() as { n: number }).n;
    const appels = (n: number) => `${frenchCount(n)} ${n >= 2 ? 'appels' : 'appel'}`;
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe(appels(total('')));

    await page.getByRole('combobox', { name: 'Résultat' }).selectOption({ label: 'En erreur' });
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe(appels(total("WHERE outcome <> 'ok'")));
    await page.getByRole('combobox', { name: 'Point d’accès' }).selectOption({ label: 'Attestation de vigilance (URSSAF)' });
    const urssafErrors = total("WHERE outcome <> 'ok' AND endpoint = 'urssaf.attestation_vigilance'");
    // the URSSAF 404s: the companies URSSAF does not know, and the seeded suppliers the fake API does not know
    expect(urssafErrors).toBeGreaterThanOrEqual(subset.filter((c) => c.coverage.urssaf === 'unknown').length);
    await expect.poll(async () => plainSpaces(await count.textContent())).toBe(appels(urssafErrors));
    const rows = page.getByRole('table', { name: /Appels à API Entreprise/ }).locator('tbody tr');
    for (const row of await rows.allTextContents()) {
      expect(row).toContain('Attestation de vigilance (URSSAF)');
      expect(row).toContain('Non trouvé');
    }
    const unknown = subset.find((c) => c.coverage.urssaf === 'unknown');
    expect((await rows.allTextContents()).some((row) => row.includes(unknown?.name ?? '(none)'))).toBe(true);
    await screenshot(page, 'parcours-06-journal-filtre');
    await expectAccessible(page, 'Journal des appels');
  });

  it('Mises à jour: the finished run, what it found, the history', async () => {
    const { page } = view;
    await goToScreen(page, 'Mises à jour');
    const lastRun = page.getByRole('region', { name: 'Dernière mise à jour' });
    await expect.poll(async () => plainSpaces(await lastRun.innerText())).toMatch(/Registre mis à jour : \d[\d ]* vérifications/);
    const lastRunText = plainSpaces(await lastRun.innerText());
    expect(lastRunText).toContain('Manuel');
    expect(lastRunText).toContain('Terminée');
    expect(lastRunText).not.toContain('erreur');
    const done = (core.db.prepare("SELECT count(*) AS n FROM refresh_jobs WHERE state = 'done'").get() as { n: number }).n;
    expect(lastRunText).toContain(`Registre mis à jour : ${frenchCount(done)} vérifications`);
    const changes = page.getByRole('list', { name: 'Ce qui a changé' });
    for (const company of subset.filter((c) => c.coverage.urssaf === 'refus_de_delivrance')) {
      expect(plainSpaces(await changes.innerText())).toContain(company.name);
    }
    const history = page.getByRole('table', { name: 'Historique des mises à jour' }).getByRole('row');
    await expect.poll(() => history.count()).toBe(2);
    expect(plainSpaces(await history.nth(1).innerText())).toContain('Terminée');
    await lastRun.scrollIntoViewIfNeeded();
    await screenshot(page, 'parcours-07-mises-a-jour');
    await expectAccessible(page, 'Mises à jour');
  });

  it('Paramètres: the commune and the local API in use', async () => {
    const { page } = view;
    await goToScreen(page, 'Paramètres');
    const siret = page.getByLabel('SIRET de la commune');
    await expect.poll(async () => (await siret.inputValue()).replace(/\D/g, '')).toBe(COMMUNE_SIRET);
    expect(await page.getByLabel('Adresse de l’API locale').inputValue()).toBe(app.api.url);
    await screenshot(page, 'parcours-08-parametres', { fullPage: true });
    await expectAccessible(page, 'Paramètres');
  });

  it('Jeton: its privileges, then replaced by one that may not ask URSSAF', async () => {
    const { page } = view;
    await goToScreen(page, 'Jeton');
    const state = page.getByRole('region', { name: 'État du jeton' });
    await state.getByText('Valide', { exact: true }).waitFor();
    const privileges = page.getByRole('list', { name: 'Habilitations' });
    const privilege = (label: string) => privileges.getByRole('listitem').filter({ hasText: label });
    expect(plainSpaces(await privilege('Attestation de vigilance (URSSAF)').innerText())).toMatch(/(?<!non)\shabilité$/);
    expect(plainSpaces(await privilege('Attestation fiscale (DGFIP)').innerText())).toMatch(/\snon habilité$/);
    await screenshot(page, 'parcours-09-jeton');
    await expectAccessible(page, 'Jeton');

    await page
      .getByRole('textbox', { name: 'Jeton API Entreprise', exact: true })
      .fill(app.mintToken({ scopes: CATALOGUE_SCOPES.filter((scope) => scope !== DGFIP_SCOPE && scope !== URSSAF_SCOPE) }));
    await page.getByRole('button', { name: 'Remplacer le jeton' }).click();
    await expect
      .poll(async () => plainSpaces(await page.getByRole('status').first().textContent()))
      .toBe('Le jeton a été vérifié auprès d’API Entreprise et enregistré.');
    await expect.poll(async () => plainSpaces(await privilege('Attestation de vigilance (URSSAF)').innerText())).toMatch(/\snon habilité$/);
    await screenshot(page, 'parcours-10-jeton-remplace');
    await expectAccessible(page, 'Jeton remplacé');
  });

  it('Tableau de bord and Registre again: the suppliers with no known attestation are now « non habilité »', async () => {
    const { page } = view;
    const now = statesFromDatabase(core, false);
    expect(now.active.non_habilite).toBe(expected.active.inconnue);
    expect(now.active.inconnue).toBe(0);
    await goToScreen(page, 'Tableau de bord');
    await expect.poll(() => tileCounts(page)).toEqual(now.active);
    await screenshot(page, 'parcours-11-tableau-de-bord-non-habilite');
    await expectAccessible(page, 'Tableau de bord');

    await goToScreen(page, 'Registre');
    await page.getByRole('searchbox', { name: 'Rechercher un fournisseur' }).fill('');
    await page.getByLabel('Vigilance URSSAF').selectOption({ label: COMPLIANCE_LABELS.non_habilite });
    await expect
      .poll(async () => plainSpaces(await page.locator('.result-count').textContent()))
      .toBe(countLine(now.all.non_habilite, REGISTER_SIZE));
    expect(view.problems).toEqual([]);
    expect(view.dialogs).toEqual([]);
  });
});
