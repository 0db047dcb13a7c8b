import { describe, expect, it } from 'vitest';
import { LA_POSTE_SIREN, isValidSiren, isValidSiret } from '../../src-main/common/identifiers';
import {
  addDays,
  endOfMonthAfter,
  lastDayOfPreviousMonth,
  nextDayEightOClock,
  parisMidnightEpochSeconds,
  toIsoDate,
} from '../../src-main/node/fake-api/paris-calendar';
import { vatNumber } from '../../src-main/node/fake-api/payloads/registry-payloads';
import { hasTrait, SyntheticCompanies, type CompanyTrait } from '../../src-main/node/fake-api/synthetic-companies';

const population = new SyntheticCompanies();
const everyone = [...population.all()];

describe('synthetic companies', () => {
  it('has 5,000 companies by default, the same ones for the same seed', () => {
    expect(population.count).toBe(5_000);
    const again = new SyntheticCompanies({ seed: 'vigie' });
    for (const index of [0, 1, 2, 777, 2_500, 4_999]) {
      expect(again.at(index)).toEqual(population.at(index));
    }
    const other = new SyntheticCompanies({ seed: 'autre graine' });
    const sameSirens = [0, 1, 2, 3, 4].filter((i) => other.at(i).siren === population.at(i).siren);
    expect(sameSirens).toHaveLength(0);
  });

  it('gives every company a valid, unique SIREN and valid SIRETs (Luhn), never La Poste', () => {
    const sirens = new Set<string>();
    const sirets = new Set<string>();
    for (const company of everyone) {
      expect(isValidSiren(company.siren)).toBe(true);
      expect(company.siren).not.toBe(LA_POSTE_SIREN);
      sirens.add(company.siren);
      for (const establishment of company.establishments) {
        expect(establishment.siret.startsWith(company.siren)).toBe(true);
        expect(isValidSiret(establishment.siret)).toBe(true);
        sirets.add(establishment.siret);
      }
    }
    expect(sirens.size).toBe(5_000);
    expect(sirets.size).toBe(everyone.reduce((n, c) => n + c.establishments.length, 0));
  });

  it('has 1 to 3 establishments, the head office first; a ceased company has only closed ones', () => {
    for (const company of everyone) {
      expect(company.establishments.length).toBeGreaterThanOrEqual(1);
      expect(company.establishments.length).toBeLessThanOrEqual(3);
      expect(company.establishments.map((e) => e.headOffice)).toEqual(company.establishments.map((_, i) => i === 0));
      if (company.ceasedOn !== null) {
        expect(company.establishments.every((e) => !e.active && e.closedOn === company.ceasedOn)).toBe(true);
        expect(company.ceasedOn > company.createdOn).toBe(true);
      }
    }
  });

  it('covers a stable mix of cases, in plausible proportions', () => {
    const expected: [CompanyTrait, number, number][] = [
      ['active', 0.85, 0.97],
      ['ceased', 0.04, 0.12],
      ['partially_diffusible', 0.02, 0.12],
      ['association', 0.06, 0.14],
      ['sole_trader', 0.15, 0.3],
      ['urssaf_refused', 0.03, 0.12],
      ['urssaf_unknown', 0.05, 0.2],
      ['dgfip_unknown', 0.1, 0.3],
      ['qualibat', 0.03, 0.2],
      ['rge', 0.03, 0.2],
      ['no_certification', 0.5, 0.95],
      ['several_establishments', 0.2, 0.5],
      ['closed_establishment', 0.03, 0.2],
      ['msa', 0.01, 0.15],
    ];
    for (const [trait, min, max] of expected) {
      const share = everyone.filter((c) => hasTrait(c, trait)).length / everyone.length;
      expect(share, trait).toBeGreaterThanOrEqual(min);
      expect(share, trait).toBeLessThanOrEqual(max);
    }
    const partial = population.example('partially_diffusible');
    expect(partial.diffusion).toBe('partiellement_diffusible');
    expect(population.example('association').legalForm.code).toMatch(/^92/);
  });

  it('finds companies by SIREN and SIRET, and nothing for others', () => {
    const company = population.at(1_234);
    expect(population.bySiren(company.siren)).toBe(company);
    const last = company.establishments[company.establishments.length - 1];
    expect(last && population.bySiret(last.siret)?.establishment).toBe(last);
    expect(population.bySiren('130025265')).toBeNull();
    expect(population.bySiret(`${company.siren}99999`)).toBeNull();
    expect(population.bySiren('12345')).toBeNull();
  });

  it('looks up in constant time: the last of a million companies comes without generating the others', () => {
    const huge = new SyntheticCompanies({ count: 1_000_000 });
    const started = performance.now();
    const last = huge.at(999_999);
    expect(huge.bySiren(last.siren)?.index).toBe(999_999);
    expect(huge.bySiret(last.establishments[0]?.siret ?? '')?.company.index).toBe(999_999);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('calendar rules of the attestations', () => {
  it('ends an URSSAF attestation six months later, at the end of the month', () => {
    expect(toIsoDate(endOfMonthAfter({ year: 2022, month: 12, day: 3 }, 6))).toBe('2023-06-30');
    expect(toIsoDate(endOfMonthAfter({ year: 2023, month: 8, day: 31 }, 6))).toBe('2024-02-29');
  });

  it('analyses the DGFIP period up to the last day of the previous month', () => {
    expect(toIsoDate(lastDayOfPreviousMonth({ year: 2024, month: 3, day: 15 }))).toBe('2024-02-29');
    expect(toIsoDate(lastDayOfPreviousMonth({ year: 2026, month: 1, day: 2 }))).toBe('2025-12-31');
    expect(toIsoDate(addDays({ year: 2024, month: 12, day: 31 }, 1))).toBe('2025-01-01');
  });

  it('expires the cache at 8:00 Paris time the next day, summer and winter', () => {
    expect(new Date(nextDayEightOClock(Date.parse('2026-01-15T21:30:00Z'))).toISOString()).toBe('2026-01-16T07:00:00.000Z');
    expect(new Date(nextDayEightOClock(Date.parse('2026-07-15T05:00:00Z'))).toISOString()).toBe('2026-07-16T06:00:00.000Z');
    // 23:30 UTC on 28 March is already 29 March in Paris, the day summer time starts
    expect(new Date(nextDayEightOClock(Date.parse('2026-03-28T23:30:00Z'))).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(parisMidnightEpochSeconds('2004-05-24')).toBe(1085349600);
  });

  it('computes the French VAT number key', () => {
    expect(vatNumber('404833048')).toBe('FR83404833048');
  });
});
