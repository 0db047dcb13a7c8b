// Registry and identity normalisers on hand-written payloads: Kbis (Infogreffe), officers, RNE
// (INPI), associations (DJEPVA), VAT number (VIES), and the token's privileges.
import { describe, expect, it } from 'vitest';
import { MalformedPayloadError, normalizeAnswer, parsePrivileges } from '../../src-main/node/api-entreprise/normalizers/normalize-answer';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const SIREN = makeSiren(31337);
const SIRET = makeSiret(31337, 1);

function kbis(data: Record<string, unknown>) {
  return {
    data: {
      siren: SIREN,
      date_radiation: null,
      date_extrait: '2024-03-01',
      date_immatriculation: '2012-10-22',
      mandataires_sociaux: [
        { numero_identification: null, type: 'personne_physique', fonction: 'GÉRANT', nom: 'ROUSSEAU', prenom: 'CAMILLE', date_naissance: '1980-04', raison_sociale: null },
      ],
      observations: [],
      nom_commercial: null,
      etablissement_principal: { activite: 'Travaux de couverture', origine_fonds: 'CREATION', mode_exploitation: 'EXPLOITATION DIRECTE', code_ape: '4391B' },
      capital: { montant: 7500.5, devise: 'EUROS', code_devise: 'EUR' },
      greffe: { valeur: 'QUIMPER', code: '2903' },
      personne_physique: null,
      personne_morale: {
        forme_juridique: { valeur: 'SOCIETE A RESPONSABILITE LIMITEE', code: 'SARL' },
        denomination: 'TOITURES DE L’ODET',
        date_cloture_exercice_comptable: '12-31',
        date_fin_de_vie: '2111-10-21',
      },
      ...data,
    },
    links: {},
    meta: {},
  };
}

describe('Infogreffe extrait RCS', () => {
  it('gives identity, legal form, registration facts and the extract as an attestation', () => {
    const answer = normalizeAnswer('infogreffe.extrait_rcs', kbis({}), SIREN);
    expect(answer.company).toEqual({
      siren: SIREN,
      name: 'TOITURES DE L’ODET',
      legalForm: { code: 'SARL', label: 'SOCIETE A RESPONSABILITE LIMITEE' },
      activity: { code: '4391B', label: null },
      administrativeStatus: 'active',
      ceasedOn: null,
      diffusion: 'unknown',
      createdOn: null,
      headOfficeSiret: null,
      category: null,
    });
    expect(answer.attestations).toHaveLength(1);
    expect(answer.attestations[0]).toMatchObject({ kind: 'rcs_extract', status: 'delivered', issuedOn: '2024-03-01', documentUrl: null });
    expect(answer.attestations[0]?.details['Mandataires sociaux']).toBe('GÉRANT : Camille ROUSSEAU');
    expect(answer.facts).toMatchObject({ registry_court: 'QUIMPER (2903)', registered_on: '2012-10-22', officers_count: '1' });
    expect(answer.facts['share_capital']).toMatch(/^7\s?500,5 EUR$/u);
  });

  it('a struck-off company surfaces as ceased', () => {
    const answer = normalizeAnswer('infogreffe.extrait_rcs', kbis({ date_radiation: '2023-11-30' }), SIREN);
    expect(answer.company).toMatchObject({ administrativeStatus: 'ceased', ceasedOn: '2023-11-30' });
    expect(answer.facts['struck_off_on']).toBe('2023-11-30');
  });

  it('names a sole trader from the natural person when there is no denomination', () => {
    const answer = normalizeAnswer(
      'infogreffe.extrait_rcs',
      kbis({ personne_morale: null, personne_physique: { nom: 'le gall', prenom: 'YANN', adresse: null, nationalite: null, naissance: null } }),
      SIREN,
    );
    expect(answer.company?.name).toBe('Yann LE GALL');
    expect(answer.company?.legalForm).toBeNull();
  });
});

describe('Infogreffe mandataires sociaux', () => {
  it('lists officers as facts, people and companies alike', () => {
    const answer = normalizeAnswer(
      'infogreffe.mandataires_sociaux',
      {
        data: [
          { data: { type: 'personne_physique', fonction: 'PRÉSIDENT', nom: 'NGUYEN', prenom: 'LINH' } },
          { data: { type: 'personne_morale', fonction: 'COMMISSAIRE AUX COMPTES', raison_sociale: 'AUDIT ARMOR' } },
          { data: { type: 'personne_physique', fonction: null, nom: null, prenom: null } },
        ],
        meta: { personnes_physiques_count: 2, personnes_morales_count: 1, count: 3 },
      },
      SIREN,
    );
    expect(answer.facts).toEqual({ officers_count: '3', officers: 'PRÉSIDENT : Linh NGUYEN\nCOMMISSAIRE AUX COMPTES : AUDIT ARMOR' });
    expect(normalizeAnswer('infogreffe.mandataires_sociaux', { data: [] }, SIREN).facts).toEqual({ officers_count: '0' });
  });
});

describe('INPI extrait RNE', () => {
  function rne(identity: Record<string, unknown>, rest: Record<string, unknown> = {}) {
    return {
      data: {
        document_url: 'https://rne.example.test/attestation.pdf',
        identite_entreprise: {
          denomination: 'BOULANGERIE DU MARCHE',
          nom: null,
          prenoms: [],
          siren: SIREN,
          date_immatriculation_rne: '2019-06-01',
          date_debut_activite: '2019-06-15',
          detail_cessation: null,
          dissolution: { date: null, poursuite_activite: null, avec_liquidation: null },
          date_fin_personne: null,
          date_cloture_exercice: '12-31',
          date_premiere_cloture_exercice: null,
          nature_entreprise: 'ARTISANALE',
          forme_juridique: { code: '5710', libelle: 'SAS, société par actions simplifiée' },
          associe_unique: false,
          activite_principales_objet_social: 'Boulangerie',
          code_APE: { code: '1071C', libelle: 'Boulangerie et boulangerie-pâtisserie' },
          code_APRM: { code: null, libelle: null },
          capital_social: { montant: 1000, devise: 'EUR' },
          adresse_siege_social: { voie: '3 PLACE DU MARCHE', code_postal: '56000', commune: 'VANNES', pays: 'FRANCE', complement: null },
          ...identity,
        },
        dirigeants_et_associes: [],
        etablissements: [
          {
            type_etablissement: 'Siège et principal',
            date_debut_activite: '2019-06-15',
            siret: SIRET,
            code_APE: { code: '1071C', libelle: 'Boulangerie et boulangerie-pâtisserie' },
            code_APRM: { code: null, libelle: null },
            nature_etablissement: 'ARTISANALE',
            activite_principale: 'Boulangerie',
            autre_activite: null,
            adresse: { voie: '3 PLACE DU MARCHE', code_postal: '56000', commune: 'VANNES', pays: 'FRANCE', complement: 'LOCAL 2' },
            statut: 'actif',
          },
        ],
        diffusion_commerciale: true,
        diffusion_insee: true,
        etablissements_fermes_total: 0,
        observations: [],
        ...rest,
      },
      links: {},
      meta: {},
    };
  }

  it('gives identity, head office and the RNE attestation document', () => {
    const answer = normalizeAnswer('inpi.extrait_rne', rne({}), SIREN);
    expect(answer.company).toMatchObject({
      siren: SIREN,
      name: 'BOULANGERIE DU MARCHE',
      activity: { code: '1071C', label: 'Boulangerie et boulangerie-pâtisserie' },
      administrativeStatus: 'active',
      diffusion: 'diffusible',
      headOfficeSiret: SIRET,
    });
    expect(answer.establishment).toMatchObject({
      siret: SIRET,
      isHeadOffice: true,
      administrativeStatus: 'active',
      address: { street: '3 PLACE DU MARCHE, LOCAL 2', postalCode: '56000', city: 'VANNES', country: 'FRANCE' },
    });
    expect(answer.attestations[0]).toMatchObject({ kind: 'rne_extract', status: 'delivered', documentUrl: 'https://rne.example.test/attestation.pdf' });
  });

  it('a dissolved company surfaces as ceased; diffusion_insee false means partially diffusible', () => {
    const answer = normalizeAnswer(
      'inpi.extrait_rne',
      rne({ dissolution: { date: '2024-01-31', poursuite_activite: false, avec_liquidation: true } }, { diffusion_insee: false }),
      SIREN,
    );
    expect(answer.company).toMatchObject({ administrativeStatus: 'ceased', ceasedOn: '2024-01-31', diffusion: 'partiellement_diffusible' });
    expect(answer.establishment?.diffusion).toBe('partiellement_diffusible');
    expect(answer.facts['dissolved_on']).toBe('2024-01-31');
  });

  it('names an entrepreneur from first names and name; a closed head office is ceased', () => {
    const answer = normalizeAnswer(
      'inpi.extrait_rne',
      rne({ denomination: null, nom: 'Kerbrat', prenoms: ['GWENAELLE', 'MARIE'] }, {
        etablissements: [{ type_etablissement: 'Siège', siret: SIRET, statut: 'fermé', adresse: null, code_APE: null }],
      }),
      SIREN,
    );
    expect(answer.company?.name).toBe('Gwenaelle KERBRAT');
    expect(answer.establishment).toMatchObject({ administrativeStatus: 'ceased', address: { street: '3 PLACE DU MARCHE', city: 'VANNES' } });
  });
});

describe('DJEPVA association', () => {
  function association(data: Record<string, unknown>) {
    return {
      data: {
        rna: 'W561234567',
        siren: SIREN,
        nom: 'AMICALE DES SAPEURS-POMPIERS',
        sigle: 'ASP',
        siret_siege: SIRET,
        forme_juridique: { code: '9220', libelle: 'Association déclarée' },
        regime: 'Loi 1901',
        reconnue_utilite_publique: false,
        active: true,
        date_creation: '1987-02-14',
        date_dissolution: null,
        adresse_siege: { complement: null, numero_voie: '8', type_voie: 'RUE', libelle_voie: 'DES LILAS', distribution: null, code_insee: '56260', code_postal: '56000', commune: 'VANNES' },
        activites: {
          objet: 'Entraide entre sapeurs-pompiers',
          activite_principale: { code: '94.99Z', libelle: 'Autres organisations fonctionnant par adhésion volontaire', annee: '2020' },
          tranche_effectif: { code: 'NN', libelle: 'Non référencé', annee: null },
          economie_sociale_et_solidaire: true,
        },
        etablissements: [],
        ...data,
      },
      links: {},
      meta: {},
    };
  }

  it('gives the company, its head office from siret_siege and adresse_siege, and RNA facts', () => {
    const answer = normalizeAnswer('djepva.association', association({}), SIREN);
    expect(answer.company).toMatchObject({
      siren: SIREN,
      name: 'AMICALE DES SAPEURS-POMPIERS',
      legalForm: { code: '9220', label: 'Association déclarée' },
      administrativeStatus: 'active',
      createdOn: '1987-02-14',
      headOfficeSiret: SIRET,
    });
    expect(answer.establishment).toMatchObject({ siret: SIRET, isHeadOffice: true, address: { street: '8 RUE DES LILAS', postalCode: '56000', city: 'VANNES' } });
    expect(answer.facts).toMatchObject({ rna: 'W561234567', acronym: 'ASP', association_regime: 'Loi 1901', public_utility: 'non', social_economy: 'oui' });
  });

  it('an inactive association is ceased, with its dissolution date', () => {
    const answer = normalizeAnswer('djepva.association', association({ active: false, date_dissolution: '2022-09-30' }), SIREN);
    expect(answer.company).toMatchObject({ administrativeStatus: 'ceased', ceasedOn: '2022-09-30' });
  });

  it('an association known only by its RNA number has no company record but keeps its name', () => {
    const answer = normalizeAnswer('djepva.association', association({ siren: null, siret_siege: null }), 'W561234567');
    expect(answer.company).toBeNull();
    expect(answer.establishment).toBeNull();
    expect(answer.facts).toMatchObject({ rna: 'W561234567', association_name: 'AMICALE DES SAPEURS-POMPIERS' });
  });
});

describe('VIES', () => {
  it('gives the VAT number as a fact', () => {
    expect(normalizeAnswer('vies.numero_tva', { data: { tva_number: 'fr 12 345678901' } }, SIREN).facts).toEqual({ vat_number: 'FR12345678901' });
    expect(() => normalizeAnswer('vies.numero_tva', { data: { tva_number: null } }, SIREN)).toThrow(MalformedPayloadError);
  });
});

describe('parsePrivileges', () => {
  it('reads the usual and the defensive shapes', () => {
    expect(parsePrivileges({ data: { privileges: ['attestations_sociales', 'unites_legales_etablissements_insee'] } })).toEqual([
      'attestations_sociales',
      'unites_legales_etablissements_insee',
    ]);
    expect(parsePrivileges({ privileges: ['open_data', 'open_data'] })).toEqual(['open_data']);
    expect(parsePrivileges({ data: [{ name: 'qualibat' }, { scope: 'probtp' }, { code: 'cotisations_msa' }] })).toEqual(['qualibat', 'probtp', 'cotisations_msa']);
    expect(parsePrivileges(['associations'])).toEqual(['associations']);
    expect(parsePrivileges({ data: { privileges: [] } })).toEqual([]);
  });

  it('throws MalformedPayloadError when no list of privileges is there', () => {
    for (const payload of [null, 'attestations_sociales', {}, { data: { privileges: 'attestations_sociales' } }, { data: [42, { nom: 'x' }] }]) {
      expect(() => parsePrivileges(payload)).toThrow(MalformedPayloadError);
    }
  });

  it('is what normalizeAnswer answers for /privileges', () => {
    expect(normalizeAnswer('privileges', { data: { privileges: ['entreprises', 'open_data'] } }, '').facts).toEqual({ privileges: 'entreprises, open_data' });
  });
});
