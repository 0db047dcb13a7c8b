// The fake API's population: a few thousand invented companies, derived from a seed and an index
// only. Nothing is stored: a company is generated when first asked for (then kept in a bounded
// cache), SIREN -> index is one modular multiplication (see siren-space.ts), so lookups by SIREN or
// SIRET are O(1) whatever the population size.
import { luhnCheckDigit } from '../../common/identifiers';
import { Prng } from './deterministic-random';
import {
  ACTIVITIES,
  ASSOCIATION_ACTIVITIES,
  ASSOCIATION_WORDS,
  FIRST_NAMES,
  HEADCOUNT_BANDS,
  LEGAL_FORMS,
  PLACE_WORDS,
  STREET_NAMES,
  STREET_TYPES,
  SURNAMES,
  TOWNS,
  isAlsaceMoselle,
  type Activity,
  type HeadcountBand,
  type LegalForm,
  type Town,
} from './french-reference-data';
import { SirenSpace } from './siren-space';

export const DEFAULT_COMPANY_COUNT = 5_000;
export const DEFAULT_SEED = 'vigie';

export type DiffusionStatus = 'diffusible' | 'partiellement_diffusible';
/** URSSAF's answer: an attestation, an explicit refusal, or nothing known (404). */
export type UrssafStatus = 'ok' | 'refus_de_delivrance' | 'unknown';
export type MsaStatus = 'up_to_date' | 'outdated' | 'under_investigation';

export interface SyntheticAddress {
  number: string;
  repetition: 'bis' | 'ter' | null;
  streetType: (typeof STREET_TYPES)[number];
  streetName: string;
  complement: string | null;
  town: Town;
}

export interface SyntheticPerson {
  sex: 'M' | 'F';
  firstNames: string[];
  lastName: string;
  /** ISO date. */
  birthDate: string;
  birthPlace: string;
  residence: string;
}

export interface SyntheticOfficer {
  role: string;
  person: SyntheticPerson;
}

export interface SyntheticEstablishment {
  siret: string;
  siren: string;
  nic: string;
  headOffice: boolean;
  active: boolean;
  /** ISO dates. */
  createdOn: string;
  closedOn: string | null;
  enseigne: string | null;
  headcount: HeadcountBand;
  address: SyntheticAddress;
}

/** Which data providers know the company, and what they say: drives 200 / 404 per endpoint. */
export interface ProviderCoverage {
  urssaf: UrssafStatus;
  dgfip: boolean;
  rcs: boolean;
  rne: boolean;
  vies: boolean;
  qualibat: boolean;
  rge: boolean;
  opqibi: boolean;
  qualifelec: boolean;
  qualiopi: boolean;
  cnetp: boolean;
  cibtp: boolean;
  probtp: boolean;
  msa: MsaStatus | null;
  fntp: boolean;
}

export interface SyntheticCompany {
  index: number;
  siren: string;
  type: 'personne_morale' | 'personne_physique';
  association: boolean;
  /** What a person would call it: the company name, or "NOM Prénom" for a sole trader. */
  name: string;
  sigle: string | null;
  /** The sole trader, for `personne_physique`. */
  person: SyntheticPerson | null;
  legalForm: LegalForm;
  activity: Activity;
  category: 'PME' | 'ETI' | 'GE' | null;
  headcount: HeadcountBand;
  socialEconomy: boolean | null;
  /** ISO dates. */
  createdOn: string;
  ceasedOn: string | null;
  diffusion: DiffusionStatus;
  rna: string | null;
  /** Share capital in euros, for companies. */
  capital: number | null;
  /** Head office first. */
  establishments: SyntheticEstablishment[];
  officers: SyntheticOfficer[];
  coverage: ProviderCoverage;
}

export type CompanyTrait =
  | 'active'
  | 'ceased'
  | 'partially_diffusible'
  | 'association'
  | 'sole_trader'
  | 'urssaf_ok'
  | 'urssaf_refused'
  | 'urssaf_unknown'
  | 'dgfip_known'
  | 'dgfip_unknown'
  | 'qualibat'
  | 'rge'
  | 'no_certification'
  | 'several_establishments'
  | 'closed_establishment'
  | 'msa';

const TRAIT_TESTS: Record<CompanyTrait, (c: SyntheticCompany) => boolean> = {
  active: (c) => c.ceasedOn === null,
  ceased: (c) => c.ceasedOn !== null,
  partially_diffusible: (c) => c.diffusion === 'partiellement_diffusible',
  association: (c) => c.association,
  sole_trader: (c) => c.type === 'personne_physique',
  urssaf_ok: (c) => c.coverage.urssaf === 'ok',
  urssaf_refused: (c) => c.coverage.urssaf === 'refus_de_delivrance',
  urssaf_unknown: (c) => c.coverage.urssaf === 'unknown',
  dgfip_known: (c) => c.coverage.dgfip,
  dgfip_unknown: (c) => !c.coverage.dgfip,
  qualibat: (c) => c.coverage.qualibat,
  rge: (c) => c.coverage.rge,
  no_certification: (c) =>
    !c.coverage.qualibat && !c.coverage.rge && !c.coverage.opqibi && !c.coverage.qualifelec && !c.coverage.qualiopi,
  several_establishments: (c) => c.establishments.length > 1,
  closed_establishment: (c) => c.ceasedOn === null && c.establishments.some((e) => !e.active),
  msa: (c) => c.coverage.msa !== null,
};

export interface SyntheticCompaniesOptions {
  seed?: string;
  count?: number;
}

/** Bounded so a long benchmark over a big population does not keep every company in memory. */
const CACHE_LIMIT = 20_000;

export class SyntheticCompanies {
  readonly seed: string;
  readonly count: number;
  private readonly space: SirenSpace;
  private readonly cache = new Map<number, SyntheticCompany>();
  private rnaIndex: Map<string, number> | null = null;

  constructor(options: SyntheticCompaniesOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SEED;
    this.count = options.count ?? DEFAULT_COMPANY_COUNT;
    if (!Number.isInteger(this.count) || this.count < 1 || this.count > 10_000_000) {
      throw new RangeError('company count must be an integer between 1 and 10,000,000');
    }
    this.space = new SirenSpace(this.seed, this.count);
  }

  at(index: number): SyntheticCompany {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const company = generateCompany(this.seed, index, this.space.sirenAt(index));
    if (this.cache.size >= CACHE_LIMIT) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(index, company);
    return company;
  }

  bySiren(siren: string): SyntheticCompany | null {
    const index = this.space.indexOf(siren);
    return index === null ? null : this.at(index);
  }

  bySiret(siret: string): { company: SyntheticCompany; establishment: SyntheticEstablishment } | null {
    const company = this.bySiren(siret.slice(0, 9));
    const establishment = company?.establishments.find((e) => e.siret === siret);
    return company && establishment ? { company, establishment } : null;
  }

  /** Associations by RNA number: the index is built once, on the first RNA lookup. */
  byRna(rna: string): SyntheticCompany | null {
    if (!this.rnaIndex) {
      const index = new Map<string, number>();
      for (let i = 0; i < this.count; i += 1) {
        const found = this.at(i).rna;
        if (found) index.set(found, i);
      }
      this.rnaIndex = index;
    }
    const position = this.rnaIndex.get(rna);
    return position === undefined ? null : this.at(position);
  }

  *all(): Generator<SyntheticCompany> {
    for (let i = 0; i < this.count; i += 1) yield this.at(i);
  }

  /** The first companies (by index) that have every trait: stable examples for tests and demos. */
  find(traits: readonly CompanyTrait[], limit = 1): SyntheticCompany[] {
    const found: SyntheticCompany[] = [];
    for (let i = 0; i < this.count && found.length < limit; i += 1) {
      const company = this.at(i);
      if (traits.every((trait) => TRAIT_TESTS[trait](company))) found.push(company);
    }
    return found;
  }

  example(...traits: CompanyTrait[]): SyntheticCompany {
    const [company] = this.find(traits);
    if (!company) throw new Error(`no synthetic company with traits ${traits.join(', ')} for seed ${this.seed}`);
    return company;
  }
}

export function hasTrait(company: SyntheticCompany, trait: CompanyTrait): boolean {
  return TRAIT_TESTS[trait](company);
}

// ---------------------------------------------------------------------------------------------
// generation

function isoFromParts(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function randomDate(prng: Prng, fromYear: number, toYear: number): string {
  return isoFromParts(prng.between(fromYear, toYear), prng.between(1, 12), prng.between(1, 28));
}

function laterDate(prng: Prng, afterIso: string, toYear: number): string {
  const fromYear = Math.min(Number(afterIso.slice(0, 4)) + 1, toYear);
  return randomDate(prng, fromYear, toYear);
}

function makePerson(prng: Prng): SyntheticPerson {
  const sex = prng.chance(0.5) ? 'M' : 'F';
  const names = FIRST_NAMES[sex];
  const firstNames = [prng.pick(names)];
  if (prng.chance(0.6)) firstNames.push(prng.pick(names));
  return {
    sex,
    firstNames: [...new Set(firstNames)],
    lastName: prng.pick(SURNAMES),
    birthDate: randomDate(prng, 1950, 1998),
    birthPlace: prng.pick(TOWNS).name,
    residence: prng.pick(TOWNS).name,
  };
}

function makeAddress(prng: Prng, town: Town): SyntheticAddress {
  return {
    number: String(prng.between(1, 180)),
    repetition: prng.chance(0.05) ? prng.pick(['bis', 'ter'] as const) : null,
    streetType: prng.pick(STREET_TYPES),
    streetName: prng.pick(STREET_NAMES),
    complement: prng.chance(0.15) ? prng.pick(['ZONE ARTISANALE', 'LIEU-DIT LES CHAMPS', 'BÂTIMENT B', 'ZI DU PONT']) : null,
    town,
  };
}

function pickLegalForm(prng: Prng, activity: Activity): LegalForm {
  if (activity.sector === 'agricole' && prng.chance(0.4)) return LEGAL_FORMS.gaec;
  const roll = prng.next();
  if (roll < 0.3) return LEGAL_FORMS.sarl;
  if (roll < 0.45) return LEGAL_FORMS.eurl;
  if (roll < 0.72) return LEGAL_FORMS.sas;
  if (roll < 0.9) return LEGAL_FORMS.sasu;
  if (roll < 0.96) return LEGAL_FORMS.sa;
  return LEGAL_FORMS.scop;
}

function tradeName(prng: Prng, activity: Activity): string {
  const surname = prng.pick(SURNAMES);
  switch (prng.int(4)) {
    case 0:
      return `${activity.trade} ${surname}`;
    case 1:
      return `${activity.trade} ${prng.pick(PLACE_WORDS)}`;
    case 2:
      return `${surname} ET FILS`;
    default:
      return `${surname} ${activity.trade}`;
  }
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => word.length > 2)
    .map((word) => word[0])
    .join('')
    .slice(0, 4);
}

function band(codes: readonly string[], prng: Prng): HeadcountBand {
  const code = prng.pick(codes);
  const found = HEADCOUNT_BANDS.find((b) => b.code === code);
  if (!found) throw new Error(`unknown headcount band ${code}`);
  return found;
}

function officerRole(legalForm: LegalForm, first: boolean): string {
  if (legalForm.code === '5710' || legalForm.code === '5720') return first ? 'PRESIDENT' : 'DIRECTEUR GENERAL';
  if (legalForm.code === '5599') return first ? 'PRESIDENT DU CONSEIL D’ADMINISTRATION' : 'ADMINISTRATEUR';
  return first ? 'GERANT' : 'CO-GERANT';
}

function generateCompany(seed: string, index: number, siren: string): SyntheticCompany {
  const prng = new Prng('company', seed, index);
  const association = prng.chance(0.1);
  const soleTrader = !association && prng.chance(0.25);
  const activity = association ? prng.pick(ASSOCIATION_ACTIVITIES) : prng.pick(ACTIVITIES);
  const headTown = prng.pick(TOWNS);
  const ceased = prng.chance(0.08);
  const createdOn = randomDate(prng, 1975, 2024);
  const ceasedOn = ceased ? laterDate(prng, createdOn, 2025) : null;

  let person: SyntheticPerson | null = null;
  let name: string;
  let sigle: string | null = null;
  let legalForm: LegalForm;
  if (association) {
    legalForm = isAlsaceMoselle(headTown)
      ? LEGAL_FORMS.associationLocal
      : prng.chance(0.05)
        ? LEGAL_FORMS.associationRup
        : LEGAL_FORMS.association;
    name = prng.chance(0.5)
      ? `${prng.pick(ASSOCIATION_WORDS)} ${prng.pick(PLACE_WORDS)}`
      : `${prng.pick(ASSOCIATION_WORDS)} DE ${headTown.name}`;
    if (prng.chance(0.3)) sigle = initials(name);
  } else if (soleTrader) {
    person = makePerson(prng);
    legalForm = LEGAL_FORMS.entrepreneur;
    name = `${person.lastName} ${person.firstNames[0] ?? ''}`.trim();
  } else {
    legalForm = pickLegalForm(prng, activity);
    name = tradeName(prng, activity);
    if (prng.chance(0.2)) sigle = initials(name);
  }

  const diffusion: DiffusionStatus =
    (soleTrader && prng.chance(0.2)) || (!soleTrader && !association && prng.chance(0.02))
      ? 'partiellement_diffusible'
      : 'diffusible';
  const headcount = association
    ? band(['NN', '00', '01', '02', '03', '11'], prng)
    : soleTrader
      ? band(['NN', '00', '01', '02'], prng)
      : band(['00', '01', '02', '03', '11', '12', '21', '22', '31', '32'], prng);
  const categoryRoll = prng.next();
  const category = soleTrader && categoryRoll < 0.5 ? null : categoryRoll < 0.97 ? 'PME' : categoryRoll < 0.995 ? 'ETI' : 'GE';

  // establishments: the head office first, then 0-2 others, some closed
  const establishmentCount = prng.chance(0.65) ? 1 : prng.chance(0.7) ? 2 : 3;
  let nicNumber = prng.between(1, 60);
  const establishments: SyntheticEstablishment[] = [];
  for (let e = 0; e < establishmentCount; e += 1) {
    // strictly increasing, so the NICs of one company never collide
    if (e > 0) nicNumber += prng.between(1, 9);
    const nicBody = String(nicNumber).padStart(4, '0');
    const nic = nicBody + luhnCheckDigit(siren + nicBody);
    const headOffice = e === 0;
    const town = headOffice || prng.chance(0.6) ? headTown : prng.pick(TOWNS);
    const estCreated = headOffice ? createdOn : laterDate(prng, createdOn, 2024);
    const closedOn = ceasedOn ?? (!headOffice && prng.chance(0.25) ? laterDate(prng, estCreated, 2025) : null);
    establishments.push({
      siret: siren + nic,
      siren,
      nic,
      headOffice,
      active: closedOn === null,
      createdOn: estCreated,
      closedOn,
      enseigne: prng.chance(0.2) ? `${activity.trade} ${town.name}` : null,
      headcount: headOffice ? headcount : band(['NN', '00', '01', '02', '03'], prng),
      address: makeAddress(prng, town),
    });
  }

  const officers: SyntheticOfficer[] = [];
  if (!association && !soleTrader) {
    const officerCount = prng.between(1, 3);
    for (let o = 0; o < officerCount; o += 1) officers.push({ role: officerRole(legalForm, o === 0), person: makePerson(prng) });
  }

  const capital = association || soleTrader ? null : legalForm.code === '5599' ? prng.between(37, 500) * 1_000 : prng.between(1, 200) * 500;
  const rna = association && !isAlsaceMoselle(headTown) ? `W${String(prng.between(10_000_000, 999_999_999)).padStart(9, '0')}` : null;

  return {
    index,
    siren,
    type: soleTrader ? 'personne_physique' : 'personne_morale',
    association,
    name,
    sigle,
    person,
    legalForm,
    activity,
    category,
    headcount,
    socialEconomy: association || legalForm.code === '5458' ? true : soleTrader ? null : false,
    createdOn,
    ceasedOn,
    diffusion,
    rna,
    capital,
    establishments,
    officers,
    coverage: coverageFor(prng, { association, soleTrader, ceased, activity }),
  };
}

function coverageFor(
  prng: Prng,
  c: { association: boolean; soleTrader: boolean; ceased: boolean; activity: Activity },
): ProviderCoverage {
  const sector = c.activity.sector;
  const alive = !c.ceased;
  const urssafRoll = prng.next();
  let urssaf: UrssafStatus;
  if (c.ceased) urssaf = 'unknown';
  else if (c.association) urssaf = urssafRoll < 0.3 ? 'unknown' : urssafRoll < 0.32 ? 'refus_de_delivrance' : 'ok';
  else urssaf = urssafRoll < 0.03 ? 'unknown' : urssafRoll < 0.1 ? 'refus_de_delivrance' : 'ok';
  const building = sector === 'batiment' || sector === 'electricite';
  const publicWorks = sector === 'travaux_publics';
  const msaRoll = prng.next();
  return {
    urssaf,
    dgfip: alive && (c.association ? prng.chance(0.4) : prng.chance(0.9)),
    rcs: !c.association && (!c.soleTrader || prng.chance(0.4)),
    rne: !c.association,
    vies: alive && !c.association && prng.chance(0.95),
    qualibat: alive && sector === 'batiment' && prng.chance(0.45),
    rge: alive && building && prng.chance(0.35),
    opqibi: alive && sector === 'ingenierie' && prng.chance(0.5),
    qualifelec: alive && sector === 'electricite' && prng.chance(0.55),
    qualiopi: alive && sector === 'formation' && prng.chance(0.7),
    cnetp: alive && publicWorks && prng.chance(0.8),
    cibtp: alive && building && prng.chance(0.7),
    probtp: alive && (building || publicWorks) && prng.chance(0.75),
    msa: alive && sector === 'agricole' ? (msaRoll < 0.85 ? 'up_to_date' : msaRoll < 0.95 ? 'outdated' : 'under_investigation') : null,
    fntp: alive && publicWorks && prng.chance(0.6),
  };
}
