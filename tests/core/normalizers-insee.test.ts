// INSEE normalisers on hand-written payloads: names of natural persons, administrative and
// diffusion statuses, dates (Unix timestamps of Paris midnight), addresses, tolerance of nulls.
import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../../src-main/node/api-entreprise/normalizers/normalize-answer';
import { personName, toIsoDate, unixSecondsToIsoDate } from '../../src-main/node/api-entreprise/normalizers/shared';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const SIREN = makeSiren(4242);
const SIRET = makeSiret(4242, 17);

/** Seconds of midnight, Paris time, on that calendar day. */
function parisMidnight(iso: string): number {
  // Paris is UTC+1 in winter, UTC+2 in summer: try both, keep the one that reads back as the day
  for (const offsetHours of [1, 2]) {
    const seconds = Date.parse(`${iso}T00:00:00Z`) / 1000 - offsetHours * 3600;
    if (unixSecondsToIsoDate(seconds) === iso && unixSecondsToIsoDate(seconds - 1) !== iso) return seconds;
  }
  throw new Error(`no Paris midnight for ${iso}`);
}

function unit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    siren: SIREN,
    rna: null,
    siret_siege_social: `${SIREN}00012`,
    type: 'personne_morale',
    personne_morale_attributs: { raison_sociale: 'MENUISERIE DES TROIS CHENES', sigle: 'M3C' },
    personne_physique_attributs: {
      pseudonyme: null,
      prenom_usuel: null,
      prenom_1: null,
      prenom_2: null,
      prenom_3: null,
      prenom_4: null,
      nom_usage: null,
      nom_naissance: null,
      sexe: null,
    },
    categorie_entreprise: 'PME',
    status_diffusion: 'diffusible',
    diffusable_commercialement: true,
    forme_juridique: { code: '5499', libelle: 'Société à responsabilité limitée (sans autre indication)' },
    activite_principale: { code: '16.23Z', libelle: 'Fabrication de charpentes et d’autres menuiseries', nomenclature: 'NAFRev2' },
    activite_principale_naf_rev2: { code: '16.23Z', libelle: 'Fabrication de charpentes et d’autres menuiseries', nomenclature: 'NAFRev2' },
    tranche_effectif_salarie: { de: 10, a: 19, code: '11', date_reference: '2022', intitule: '10 à 19 salariés' },
    etat_administratif: 'A',
    economie_sociale_et_solidaire: false,
    date_cessation: null,
    date_creation: parisMidnight('2011-03-14'),
    ...overrides,
  };
}

function unitAnswer(data: Record<string, unknown>) {
  return normalizeAnswer('insee.unite_legale', { data, links: {}, meta: { date_derniere_mise_a_jour: 0, redirect_from_siren: null } }, SIREN);
}

function naturalPerson(attributes: Record<string, string | null>, overrides: Record<string, unknown> = {}) {
  return unitAnswer(
    unit({
      type: 'personne_physique',
      personne_morale_attributs: { raison_sociale: null, sigle: null },
      personne_physique_attributs: { pseudonyme: null, prenom_usuel: null, prenom_1: null, nom_usage: null, nom_naissance: null, ...attributes },
      forme_juridique: { code: '1000', libelle: 'Entrepreneur individuel' },
      ...overrides,
    }),
  );
}

describe('INSEE legal unit', () => {
  it('maps a company to the company record and facts', () => {
    const answer = unitAnswer(unit());
    expect(answer.company).toEqual({
      siren: SIREN,
      name: 'MENUISERIE DES TROIS CHENES',
      legalForm: { code: '5499', label: 'Société à responsabilité limitée (sans autre indication)' },
      activity: { code: '16.23Z', label: 'Fabrication de charpentes et d’autres menuiseries' },
      administrativeStatus: 'active',
      ceasedOn: null,
      diffusion: 'diffusible',
      createdOn: '2011-03-14',
      headOfficeSiret: `${SIREN}00012`,
      category: 'PME',
    });
    expect(answer.establishment).toBeNull();
    expect(answer.attestations).toEqual([]);
    expect(answer.facts).toEqual({
      acronym: 'M3C',
      legal_unit_type: 'Personne morale',
      workforce: '10 à 19 salariés',
      social_economy: 'non',
      commercial_diffusion: 'oui',
    });
  });

  it('names a natural person "Prénom NOM", usage name and usual first name first', () => {
    expect(naturalPerson({ prenom_usuel: 'JEAN-PIERRE', prenom_1: 'JEAN', nom_naissance: 'LEFEVRE' }).company?.name).toBe('Jean-Pierre LEFEVRE');
    expect(naturalPerson({ prenom_1: 'ÉLODIE', nom_usage: 'martin', nom_naissance: 'DURAND' }).company?.name).toBe('Élodie MARTIN');
    // a first name already in mixed case is left as written
    expect(naturalPerson({ prenom_usuel: 'Anne-Sophie', nom_naissance: "D'ALMEIDA" }).company?.name).toBe("Anne-Sophie D'ALMEIDA");
    expect(naturalPerson({ pseudonyme: 'LE FACTEUR' }).company?.name).toBe('LE FACTEUR');
    expect(naturalPerson({}).company?.name).toBeNull();
  });

  it('keeps what INSEE masked for a partially diffusible person, and says so', () => {
    const answer = naturalPerson(
      { prenom_usuel: '[ND]', prenom_1: '[ND]', nom_naissance: '[ND]' },
      { status_diffusion: 'partiellement_diffusible', diffusable_commercialement: false },
    );
    expect(answer.company).toMatchObject({ name: '[ND]', diffusion: 'partiellement_diffusible' });
    expect(answer.facts['commercial_diffusion']).toBe('non');
    expect(naturalPerson({ prenom_usuel: 'LUCIE', nom_naissance: '[ND]' }, { status_diffusion: 'partiellement_diffusible' }).company?.name).toBe('Lucie [ND]');
  });

  it('reads etat_administratif and status_diffusion, unknown values included', () => {
    const ceased = unitAnswer(unit({ etat_administratif: 'C', date_cessation: parisMidnight('2023-12-31') })).company;
    expect(ceased).toMatchObject({ administrativeStatus: 'ceased', ceasedOn: '2023-12-31' });
    // a cessation date on an active unit is not shown
    expect(unitAnswer(unit({ date_cessation: parisMidnight('2020-01-01') })).company?.ceasedOn).toBeNull();
    expect(unitAnswer(unit({ etat_administratif: 'X' })).company?.administrativeStatus).toBe('unknown');
    expect(unitAnswer(unit({ status_diffusion: 'non_diffusible' })).company?.diffusion).toBe('non_diffusible');
    expect(unitAnswer(unit({ status_diffusion: 'O' })).company?.diffusion).toBe('diffusible');
    expect(unitAnswer(unit({ status_diffusion: 'autre' })).company?.diffusion).toBe('unknown');
  });

  it('falls back to the original nomenclature when there is no NAF rev. 2 code', () => {
    const answer = unitAnswer(
      unit({
        activite_principale: { code: '45.2B', libelle: 'ancienne révision NAF (NAF1993) non supportée', nomenclature: 'NAF1993' },
        activite_principale_naf_rev2: { code: null, libelle: 'non référencé', nomenclature: 'NAFRev2' },
      }),
    );
    expect(answer.company?.activity).toEqual({ code: '45.2B', label: 'ancienne révision NAF (NAF1993) non supportée' });
  });

  it('tolerates nulls and missing optional fields everywhere: only the SIREN is required', () => {
    const answer = unitAnswer({
      siren: SIREN,
      rna: null,
      siret_siege_social: null,
      type: null,
      personne_morale_attributs: null,
      personne_physique_attributs: null,
      categorie_entreprise: null,
      status_diffusion: null,
      forme_juridique: null,
      activite_principale: null,
      activite_principale_naf_rev2: null,
      tranche_effectif_salarie: null,
      etat_administratif: null,
      economie_sociale_et_solidaire: null,
      date_creation: null,
      date_cessation: null,
    });
    expect(answer.company).toEqual({
      siren: SIREN,
      name: null,
      legalForm: null,
      activity: null,
      administrativeStatus: 'unknown',
      ceasedOn: null,
      diffusion: 'unknown',
      createdOn: null,
      headOfficeSiret: null,
      category: null,
    });
    expect(answer.facts).toEqual({});
    expect(normalizeAnswer('insee.unite_legale_diffusible', { data: { siren: SIREN } }, SIREN).company?.siren).toBe(SIREN);
  });
});

describe('dates', () => {
  it('reads INSEE timestamps in Paris time, winter and summer, before and after 1970', () => {
    expect(unixSecondsToIsoDate(Date.parse('2022-06-23T22:00:00Z') / 1000)).toBe('2022-06-24');
    expect(unixSecondsToIsoDate(Date.parse('2021-12-31T23:00:00Z') / 1000)).toBe('2022-01-01');
    expect(unixSecondsToIsoDate(Date.parse('1950-03-31T23:00:00Z') / 1000)).toBe('1950-04-01');
    // years outside 4 digits are no dates
    expect(unixSecondsToIsoDate(267_038_293_600)).toBeNull();
  });

  it('accepts ISO dates, ISO date-times and French dates; refuses impossible ones', () => {
    expect(toIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(toIsoDate('2017-05-28T11:22:56.000+02:00')).toBe('2017-05-28');
    expect(toIsoDate('31/07/2024')).toBe('2024-07-31');
    expect(toIsoDate('2023-02-29')).toBeNull();
    expect(toIsoDate('2022-02-30')).toBeNull();
    expect(toIsoDate('juillet 2024')).toBeNull();
  });

  it('personName joins what exists', () => {
    expect(personName(null, 'dupont')).toBe('DUPONT');
    expect(personName('MARIE', null)).toBe('Marie');
    expect(personName(null, null)).toBeNull();
  });
});

describe('INSEE establishment (and head office)', () => {
  function establishment(overrides: Record<string, unknown> = {}, address: Record<string, unknown> = {}) {
    return {
      data: {
        siret: SIRET,
        siege_social: false,
        etat_administratif: 'A',
        date_fermeture: null,
        enseigne: 'ATELIER DU PORT',
        status_diffusion: 'diffusible',
        activite_principale: { code: '16.23Z', libelle: 'Fabrication de charpentes', nomenclature: 'NAFRev2' },
        activite_principale_naf_rev2: { code: '16.23Z', libelle: 'Fabrication de charpentes', nomenclature: 'NAFRev2' },
        tranche_effectif_salarie: { code: '02', intitule: '3 à 5 salariés', date_reference: '2022', de: 3, a: 5 },
        diffusable_commercialement: true,
        date_creation: parisMidnight('2015-09-01'),
        unite_legale: unit(),
        adresse: {
          numero_voie: '12',
          indice_repetition_voie: 'bis',
          type_voie: 'QUAI',
          libelle_voie: 'DES PECHEURS',
          complement_adresse: 'BATIMENT B',
          code_commune: '29019',
          code_postal: '29200',
          distribution_speciale: 'BP 45',
          code_cedex: null,
          libelle_cedex: null,
          libelle_commune: 'BREST',
          libelle_commune_etranger: null,
          code_pays_etranger: null,
          libelle_pays_etranger: null,
          status_diffusion: 'diffusible',
          acheminement_postal: { l1: null, l2: null, l3: null, l4: '12 BIS QUAI DES PECHEURS', l5: null, l6: '29200 BREST', l7: 'FRANCE' },
          ...address,
        },
        ...overrides,
      },
      links: {},
      meta: { date_derniere_mise_a_jour: 0, redirect_from_siret: null },
    };
  }

  it('maps the establishment, its address on one street line, and the embedded legal unit', () => {
    for (const endpoint of ['insee.etablissement', 'insee.etablissement_diffusible', 'insee.siege_social', 'insee.siege_social_diffusible'] as const) {
      const answer = normalizeAnswer(endpoint, establishment(), SIRET);
      expect(answer.establishment, endpoint).toEqual({
        siret: SIRET,
        siren: SIREN,
        name: 'ATELIER DU PORT',
        isHeadOffice: false,
        address: { street: '12 bis QUAI DES PECHEURS, BATIMENT B, BP 45', postalCode: '29200', city: 'BREST', country: 'FRANCE' },
        activity: { code: '16.23Z', label: 'Fabrication de charpentes' },
        administrativeStatus: 'active',
        closedOn: null,
        diffusion: 'diffusible',
      });
      expect(answer.company).toMatchObject({ siren: SIREN, name: 'MENUISERIE DES TROIS CHENES', category: 'PME' });
      expect(answer.facts).toMatchObject({ workforce: '10 à 19 salariés', establishment_workforce: '3 à 5 salariés' });
    }
  });

  it('surfaces a closed establishment (F) with its closing date', () => {
    const answer = normalizeAnswer('insee.etablissement', establishment({ etat_administratif: 'F', date_fermeture: parisMidnight('2019-08-31') }), SIRET);
    expect(answer.establishment).toMatchObject({ administrativeStatus: 'ceased', closedOn: '2019-08-31' });
  });

  it('uses the foreign city and country, INSEE’s postal line when the parts are missing, and the person’s name without a sign', () => {
    const foreign = normalizeAnswer(
      'insee.etablissement',
      establishment(
        { enseigne: null },
        { code_postal: null, libelle_commune: null, libelle_commune_etranger: 'GENEVE', code_pays_etranger: '99140', libelle_pays_etranger: 'SUISSE' },
      ),
      SIRET,
    );
    expect(foreign.establishment?.address).toMatchObject({ postalCode: null, city: 'GENEVE', country: 'SUISSE' });
    expect(foreign.establishment?.name).toBe('MENUISERIE DES TROIS CHENES');

    const fromPostalLine = normalizeAnswer(
      'insee.etablissement',
      establishment({}, { numero_voie: null, indice_repetition_voie: null, type_voie: null, libelle_voie: null, complement_adresse: null, distribution_speciale: null }),
      SIRET,
    );
    expect(fromPostalLine.establishment?.address?.street).toBe('12 BIS QUAI DES PECHEURS');
  });

  it('tolerates a payload with nothing but the SIRET', () => {
    const answer = normalizeAnswer('insee.etablissement', { data: { siret: SIRET, unite_legale: null, adresse: null } }, SIRET);
    expect(answer.company).toBeNull();
    expect(answer.establishment).toEqual({
      siret: SIRET,
      siren: SIREN,
      name: null,
      isHeadOffice: null,
      address: null,
      activity: null,
      administrativeStatus: 'unknown',
      closedOn: null,
      diffusion: 'unknown',
    });
  });
});
