// Registry answers: Infogreffe's RCS extract and company officers, the INPI RNE extract, and the
// intra-community VAT number. Ceased companies stay in the registries with their radiation /
// dissolution date, so the client can surface them (BRIEF §4).
import { parisMidnightEpochSeconds, parisToday, toIsoDate } from '../paris-calendar';
import type { SyntheticCompany, SyntheticPerson } from '../synthetic-companies';
import {
  compactNaf,
  headOffice,
  issueDocument,
  NOT_FOUND,
  ok,
  streetLine,
  type PayloadContext,
  type PayloadResult,
  type Subject,
} from './payload-context';

function birthMonth(person: SyntheticPerson): string {
  return person.birthDate.slice(0, 7);
}

/** Ninety-nine years after creation, the usual duration written in the articles. */
function endOfLife(company: SyntheticCompany): string {
  return `${Number(company.createdOn.slice(0, 4)) + 99}${company.createdOn.slice(4)}`;
}

function soleTraderBlock(company: SyntheticCompany) {
  const person = company.person;
  const head = headOffice(company);
  if (!person) {
    return {
      adresse: {
        nom_postal: null,
        numero: null,
        type: null,
        voie: null,
        ligne_1: null,
        ligne_2: null,
        localite: null,
        code_postal: null,
        bureau_distributeur: null,
        pays: null,
      },
      nationalite: { valeur: null, code: null },
      nom: null,
      prenom: null,
      naissance: { pays: { valeur: null, code: null }, date: null, lieu: null },
    };
  }
  return {
    adresse: {
      nom_postal: streetLine(head),
      numero: head.address.number,
      type: head.address.streetType,
      voie: head.address.streetName,
      ligne_1: null,
      ligne_2: null,
      localite: head.address.town.name,
      code_postal: head.address.town.postalCode,
      bureau_distributeur: head.address.town.name,
      pays: 'FRANCE',
    },
    nationalite: { valeur: 'FRANÇAISE', code: 'FR' },
    nom: person.lastName,
    prenom: person.firstNames.join(' '),
    naissance: { pays: { valeur: 'FRANCE', code: 'FR' }, date: person.birthDate, lieu: person.birthPlace },
  };
}

export function rcsExtract(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.rcs) return NOT_FOUND;
  const head = headOffice(company);
  const moral = company.type === 'personne_morale';
  return ok({
    data: {
      siren: company.siren,
      date_radiation: company.ceasedOn,
      date_extrait: toIsoDate(parisToday(ctx.nowMs)),
      date_immatriculation: company.createdOn,
      mandataires_sociaux: company.officers.map((officer) => ({
        type: 'personne_physique',
        fonction: officer.role,
        nom: officer.person.lastName,
        prenom: officer.person.firstNames.join(' '),
        date_naissance: birthMonth(officer.person),
        raison_sociale: null,
      })),
      observations: [],
      nom_commercial: head.enseigne,
      etablissement_principal: {
        activite: company.activity.label,
        origine_fonds: 'CREATION',
        mode_exploitation: 'EXPLOITATION DIRECTE',
        code_ape: compactNaf(company.activity.code),
      },
      capital: moral
        ? { montant: company.capital, devise: 'EUROS', code_devise: 'EUR' }
        : { montant: null, devise: null, code_devise: null },
      greffe: { valeur: head.address.town.greffe, code: head.address.town.greffeCode },
      personne_physique: soleTraderBlock(company),
      personne_morale: moral
        ? {
            forme_juridique: { valeur: company.legalForm.rcsLabel, code: company.legalForm.rcsCode },
            denomination: company.name,
            date_cloture_exercice_comptable: '12-31',
            date_fin_de_vie: endOfLife(company),
          }
        : {
            forme_juridique: { valeur: null, code: null },
            denomination: null,
            date_cloture_exercice_comptable: null,
            date_fin_de_vie: null,
          },
    },
    links: {},
    meta: {},
  });
}

export function companyOfficers(_ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.rcs || company.officers.length === 0) return NOT_FOUND;
  const town = headOffice(company).address.town;
  return ok({
    data: company.officers.map((officer) => ({
      data: {
        type: 'personne_physique',
        fonction: officer.role,
        nom: officer.person.lastName,
        prenom: officer.person.firstNames.join(' '),
        date_naissance: officer.person.birthDate,
        date_naissance_timestamp: parisMidnightEpochSeconds(officer.person.birthDate),
        lieu_naissance: officer.person.birthPlace,
        pays_naissance: 'FRANCE',
        code_pays_naissance: 'FR',
        nationalite: 'FRANCAISE',
        code_nationalite: 'FR',
        raison_sociale: null,
        code_greffe: town.greffeCode,
        libelle_greffe: town.greffe,
      },
      links: {},
      meta: {},
    })),
    meta: { personnes_physiques_count: company.officers.length, personnes_morales_count: 0, count: company.officers.length },
    links: {},
  });
}

function natureOf(company: SyntheticCompany): 'COMMERCIALE' | 'ARTISANALE' | 'AGRICOLE' | 'LIBERALE' {
  switch (company.activity.sector) {
    case 'agricole':
      return 'AGRICOLE';
    case 'ingenierie':
      return 'LIBERALE';
    case 'batiment':
    case 'electricite':
    case 'travaux_publics':
      return company.headcount.to !== null && company.headcount.to < 11 ? 'ARTISANALE' : 'COMMERCIALE';
    default:
      return 'COMMERCIALE';
  }
}

export function rneExtract(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.rne) return NOT_FOUND;
  const moral = company.type === 'personne_morale';
  const person = company.person;
  const head = headOffice(company);
  const ape = { code: compactNaf(company.activity.code), libelle: company.activity.label };
  const noAprm = { code: null, libelle: null };
  const nature = natureOf(company);
  const { url } = issueDocument(ctx, 'inpi.extrait_rne', subject, {
    title: 'Extrait du Registre national des entreprises',
    issuer: 'INPI',
    lines: [
      ['Immatriculation', company.createdOn],
      ['Forme juridique', company.legalForm.label],
      ['Cessation', company.ceasedOn ?? 'néant'],
    ],
  });
  return ok({
    data: {
      document_url: url,
      identite_entreprise: {
        denomination: moral ? company.name : null,
        nom: person?.lastName ?? null,
        prenoms: person ? person.firstNames : null,
        siren: company.siren,
        date_immatriculation_rne: company.createdOn,
        date_debut_activite: company.createdOn,
        detail_cessation: null,
        dissolution: { date: company.ceasedOn, poursuite_activite: company.ceasedOn ? false : null, avec_liquidation: company.ceasedOn ? true : null },
        date_fin_personne: moral ? endOfLife(company) : null,
        date_cloture_exercice: moral ? '31-12' : null,
        date_premiere_cloture_exercice: null,
        nature_entreprise: nature,
        forme_juridique: { code: company.legalForm.code, libelle: company.legalForm.label },
        associe_unique: company.legalForm.code === '5498' || company.legalForm.code === '5720',
        activite_principales_objet_social: company.activity.label,
        code_APE: ape,
        code_APRM: noAprm,
        capital_social: { montant: company.capital, devise: 'EUR' },
        adresse_siege_social: {
          voie: streetLine(head),
          code_postal: head.address.town.postalCode,
          commune: head.address.town.name,
          pays: 'FRANCE',
          complement: head.address.complement,
        },
      },
      dirigeants_et_associes: company.officers.map((officer) => ({
        qualite: officer.role,
        nom: officer.person.lastName,
        prenom: officer.person.firstNames[0] ?? '',
        date_naissance: `${officer.person.birthDate.slice(5, 7)}-${officer.person.birthDate.slice(0, 4)}`,
        commune_residence: officer.person.residence,
      })),
      etablissements: company.establishments.map((e) => ({
        type_etablissement: e.headOffice ? 'Siège et principal' : 'Secondaire',
        date_debut_activite: e.createdOn,
        siret: e.siret,
        code_APE: ape,
        code_APRM: noAprm,
        nature_etablissement: nature,
        activite_principale: company.activity.label,
        autre_activite: null,
        adresse: {
          voie: streetLine(e),
          code_postal: e.address.town.postalCode,
          commune: e.address.town.name,
          pays: 'FRANCE',
          complement: e.address.complement,
        },
        statut: e.active ? 'actif' : 'fermé',
      })),
      diffusion_commerciale: company.diffusion === 'diffusible',
      diffusion_insee: company.diffusion === 'diffusible',
      etablissements_fermes_total: company.establishments.filter((e) => !e.active).length,
      observations: [],
    },
    links: {},
    meta: {},
  });
}

/** The French VAT number: "FR" + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. */
export function vatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

export function vatAnswer(_ctx: PayloadContext, subject: Subject): PayloadResult {
  if (!subject.company.coverage.vies) return NOT_FOUND;
  return ok({ data: { tva_number: vatNumber(subject.company.siren) }, links: {}, meta: {} });
}
