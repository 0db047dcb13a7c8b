import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SupplierRepository } from '../../src-main/node/register/supplier-repository';
import { SupplierSearch, toFtsExpression } from '../../src-main/node/register/supplier-search';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';
import { tempRegister } from '../support/temp-register';

let register: ReturnType<typeof tempRegister>;
let search: SupplierSearch;

const fixtures = [
  { n: 1, name: 'Société Générale d’Entretien', city: 'Saint-Étienne', code: '401SGE', tags: ['nettoyage'] },
  { n: 2, name: 'Zinc et Toitures', city: 'Nantes', code: '401ZIN', tags: ['bâtiment'] },
  { n: 3, name: 'École de Musique Associée', city: 'Orléans', code: '401ECO', tags: [] },
  { n: 4, name: 'Dupont Électricité', city: 'Évry', code: 'F-0042', tags: ['bâtiment', 'électricité'] },
  { n: 5, name: 'Boulangerie Lefèvre', city: 'Nantes', code: '401BOU', tags: [], active: false },
];

beforeEach(() => {
  register = tempRegister();
  const repo = new SupplierRepository(register.db);
  for (const f of fixtures) {
    repo.upsert({ siren: makeSiren(f.n), siret: makeSiret(f.n), name: f.name, city: f.city, accountingCode: f.code, tags: f.tags, active: f.active ?? true });
  }
  search = new SupplierSearch(register.db);
});
afterEach(() => register.dispose());

const namesFor = (text: string, extra: Record<string, unknown> = {}) => search.search({ text, ...extra }).rows.map((r) => r.name);

describe('search as you type', () => {
  it('ignores accents and case, both ways', () => {
    expect(namesFor('societe')).toEqual(['Société Générale d’Entretien']);
    expect(namesFor('SOCIÉTÉ GÉN')).toEqual(['Société Générale d’Entretien']);
    expect(namesFor('electricite')).toEqual(['Dupont Électricité']);
    expect(namesFor('lefevre')).toEqual(['Boulangerie Lefèvre']);
  });

  it('matches word prefixes from the first letter on', () => {
    expect(namesFor('z')).toEqual(['Zinc et Toitures']);
    expect(namesFor('gen ent')).toEqual(['Société Générale d’Entretien']);
    expect(namesFor('toit zin')).toEqual(['Zinc et Toitures']);
    expect(namesFor('toitx')).toEqual([]);
  });

  it('finds by city and accounting code', () => {
    expect(namesFor('nantes')).toEqual(['Boulangerie Lefèvre', 'Zinc et Toitures']);
    expect(namesFor('saint etienne')).toEqual(['Société Générale d’Entretien']);
    expect(namesFor('evry')).toEqual(['Dupont Électricité']);
    expect(namesFor('401ECO')).toEqual(['École de Musique Associée']);
    expect(namesFor('F-0042')).toEqual(['Dupont Électricité']);
  });

  it('finds by SIREN or SIRET prefix, typed with spaces', () => {
    const siret = makeSiret(4);
    expect(namesFor(siret)).toEqual(['Dupont Électricité']);
    expect(namesFor(`${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)}`)).toEqual(['Dupont Électricité']);
    expect(namesFor(siret.slice(0, 9) + siret.slice(9, 12))).toEqual(['Dupont Électricité']);
  });

  it('never lets typed punctuation reach FTS syntax', () => {
    for (const hostile of ['"', 'NEAR(a b)', '*', 'a OR b', 'x AND', '-z', '^école', "l'école", '(', ':', '{name}: z']) {
      expect(() => search.search({ text: hostile })).not.toThrow();
    }
    expect(namesFor("l'école")).toEqual([]);
    expect(toFtsExpression('   ')).toBeNull();
    expect(toFtsExpression('"; DROP')).toBe('"DROP"*');
    expect(toFtsExpression('12 34')).toBe('"1234"*');
  });
});

describe('filters, sorting and pages', () => {
  it('sorts names the French way, accents beside their letter', () => {
    expect(namesFor('')).toEqual([
      'Boulangerie Lefèvre',
      'Dupont Électricité',
      'École de Musique Associée',
      'Société Générale d’Entretien',
      'Zinc et Toitures',
    ]);
    expect(namesFor('', { descending: true })[0]).toBe('Zinc et Toitures');
    expect(namesFor('', { sort: 'accountingCode' })[0]).toBe('Boulangerie Lefèvre');
  });

  it('filters by activity and tag, with and without text', () => {
    expect(namesFor('', { activity: 'inactive' })).toEqual(['Boulangerie Lefèvre']);
    expect(namesFor('nantes', { activity: 'active' })).toEqual(['Zinc et Toitures']);
    expect(namesFor('', { tag: 'bâtiment' })).toEqual(['Dupont Électricité', 'Zinc et Toitures']);
    expect(namesFor('dupont', { tag: 'nettoyage' })).toEqual([]);
  });

  it('pages with a total that does not depend on the page', () => {
    const first = search.search({ text: '', limit: 2, offset: 0 });
    const last = search.search({ text: '', limit: 2, offset: 4 });
    expect(first.total).toBe(5);
    expect(last.total).toBe(5);
    expect(first.rows.map((r) => r.name)).toEqual(['Boulangerie Lefèvre', 'Dupont Électricité']);
    expect(last.rows.map((r) => r.name)).toEqual(['Zinc et Toitures']);
    expect(search.search({ text: 'nantes', limit: 1 }).total).toBe(2);
  });

  it('keeps the index in step with updates', () => {
    new SupplierRepository(register.db).upsert({ siren: makeSiren(2), siret: makeSiret(2), name: 'Ardoises du Nord', city: 'Lille' });
    expect(namesFor('zinc')).toEqual([]);
    expect(namesFor('ardoise')).toEqual(['Ardoises du Nord']);
    expect(namesFor('nantes')).toEqual(['Boulangerie Lefèvre']);
    register.db.prepare('DELETE FROM suppliers WHERE name = ?').run('Ardoises du Nord');
    expect(namesFor('ardoise')).toEqual([]);
    expect(register.db.prepare("INSERT INTO suppliers_fts (suppliers_fts) VALUES ('integrity-check')").run()).toBeTruthy();
  });

  it('reports counts and tags', () => {
    expect(search.stats()).toEqual({ suppliers: 5, active: 4, tags: ['bâtiment', 'électricité', 'nettoyage'] });
  });
});
