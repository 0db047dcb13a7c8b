// The demonstration register: a few hundred suppliers taken from the local fake API's invented
// population, filled in by the real refresh engine against that API, so that the company data,
// the attestations and their PDFs are exactly what a real register holds. The checks are replayed
// over time: most suppliers over the last three nights, a few six or seven months ago, whose URSSAF
// attestation has lapsed since or lapses this month. Every compliance state a token with the URSSAF
// privilege can show is then present: à jour, expire sous 30 jours, expirée, refus, inconnue.
import type { VigieCore } from '../app/vigie-core';
import { nextNightStart } from '../app/refresh-service';
import type { FakeApiHandle } from '../fake-api/fake-api-server';
import type { Sector } from '../fake-api/french-reference-data';
import type { SyntheticCompany } from '../fake-api/synthetic-companies';
import { streetLine } from '../fake-api/payloads/payload-context';
import { SupplierRepository } from '../register/supplier-repository';
import { DAY_MS } from '../refresh/freshness-policy';
import { monthsAgo, type ReplayClock } from './demo-clock';

/** How many suppliers the demonstration register holds by default. */
export const DEMO_SUPPLIER_COUNT = 300;
/** Below this, some compliance states could be missing from the population. */
export const DEMO_MIN_SUPPLIER_COUNT = 60;
/** Share of the active suppliers known to URSSAF whose attestation was obtained seven months ago (expired today). */
const EXPIRED_SHARE = 0.1;
/** Share obtained six months ago: it lapses at the end of this month. */
const EXPIRING_SHARE = 0.08;
/** The recent checks are spread over this many nights, as the nightly refresh spreads a register. */
const RECENT_NIGHTS = 3;

const SECTOR_TAGS: Record<Sector, string> = {
  batiment: 'bâtiment',
  travaux_publics: 'travaux publics',
  electricite: 'bâtiment',
  ingenierie: 'études',
  formation: 'formation',
  agricole: 'espaces verts',
  services: 'services',
  commerce: 'fournitures',
  association: 'associations',
};

export interface DemoRegisterReport {
  suppliers: number;
  runs: number;
  calls: number;
}

type Group = 'expired' | 'expiring' | 'recent';

interface Planned {
  company: SyntheticCompany;
  group: Group;
}

/** The suppliers, in the population's order, and when their URSSAF attestation was obtained. */
export function planDemoRegister(api: Pick<FakeApiHandle, 'companies'>, count: number): Planned[] {
  if (!Number.isInteger(count) || count < DEMO_MIN_SUPPLIER_COUNT) {
    throw new RangeError(`the demonstration register needs at least ${DEMO_MIN_SUPPLIER_COUNT} suppliers`);
  }
  if (api.companies.count < count) throw new RangeError('the demonstration population is smaller than the register asked for');
  const companies = Array.from({ length: count }, (_, index) => api.companies.at(index));
  const withAttestation = companies.filter((c) => c.ceasedOn === null && c.coverage.urssaf === 'ok');
  const expired = Math.max(1, Math.round(withAttestation.length * EXPIRED_SHARE));
  const expiring = Math.max(1, Math.round(withAttestation.length * EXPIRING_SHARE));
  // spread through the register rather than bunched in its first rows
  const stride = Math.max(1, Math.floor(withAttestation.length / (expired + expiring)));
  const groups = new Map<string, Group>();
  let expiredSoFar = 0;
  let expiringSoFar = 0;
  for (let i = 0; i * stride < withAttestation.length && (expiredSoFar < expired || expiringSoFar < expiring); i += 1) {
    const company = withAttestation[i * stride] as SyntheticCompany;
    const group: Group = (i % 2 === 0 && expiredSoFar < expired) || expiringSoFar >= expiring ? 'expired' : 'expiring';
    if (group === 'expired') expiredSoFar += 1;
    else expiringSoFar += 1;
    groups.set(company.siren, group);
  }
  return companies.map((company) => ({ company, group: groups.get(company.siren) ?? 'recent' }));
}

/**
 * Fills an empty register: the demonstration token (`storeToken`), the suppliers as an import
 * would write them, then the refresh engine's runs, each at its replayed time. The core must have
 * the demonstration settings already.
 */
export async function buildDemoRegister(
  core: VigieCore,
  api: Pick<FakeApiHandle, 'companies' | 'stats'>,
  clock: ReplayClock,
  storeToken: () => Promise<void>,
  count = DEMO_SUPPLIER_COUNT,
): Promise<DemoRegisterReport> {
  const planned = planDemoRegister(api, count);
  const now = Date.now();
  // stored before the first replayed check: the client's rate limiter then sees time only move on
  await clock.at(monthsAgo(now, 7) - DAY_MS, storeToken);
  const enteredAt = new Date(monthsAgo(now, 8)).toISOString();
  const repository = new SupplierRepository(core.db, () => enteredAt);
  core.db.transaction(() => {
    planned.forEach(({ company }, index) => {
      const head = company.establishments[0];
      repository.upsert({
        siren: company.siren,
        siret: head?.siret ?? null,
        name: company.name,
        accountingCode: `F${String(index + 1).padStart(5, '0')}`,
        address: head ? streetLine(head) : undefined,
        postalCode: head?.address.town.postalCode,
        city: head?.address.town.name,
        tags: [SECTOR_TAGS[company.activity.sector]],
        // a few former suppliers the commune no longer works with
        active: index % 40 !== 39,
      });
    });
  })();
  const idOf = new Map(
    (core.db.prepare('SELECT siren, id FROM suppliers').all() as { siren: string; id: number }[]).map((row) => [row.siren, row.id]),
  );
  const idsOf = (filter: (entry: Planned, index: number) => boolean): number[] =>
    planned.flatMap((entry, index) => (filter(entry, index) ? [idOf.get(entry.company.siren) as number] : []));

  const callsBefore = api.stats.apiCalls;
  const lastNight = nextNightStart(now) - DAY_MS;
  const runs: { at: number; trigger: string; supplierIds: number[] }[] = [
    { at: monthsAgo(now, 7), trigger: 'manual', supplierIds: idsOf((e) => e.group === 'expired') },
    { at: monthsAgo(now, 6), trigger: 'manual', supplierIds: idsOf((e) => e.group === 'expiring') },
  ];
  // the others over the last nights, a third each, as a night shares out a register
  const recent = idsOf((e) => e.group === 'recent');
  for (let night = RECENT_NIGHTS - 1; night >= 0; night -= 1) {
    runs.push({ at: lastNight - night * DAY_MS, trigger: 'night', supplierIds: recent.filter((_, i) => i % RECENT_NIGHTS === night) });
  }
  for (const run of runs) {
    const end = await clock.at(run.at, async () => {
      const handle = core.refresh.engine.start(run.trigger, { supplierIds: run.supplierIds, force: true });
      return handle.finished;
    });
    if (end.state !== 'completed') throw new Error(`demonstration refresh run ended as ${end.state}`);
  }
  return { suppliers: planned.length, runs: runs.length, calls: api.stats.apiCalls - callsBefore };
}
