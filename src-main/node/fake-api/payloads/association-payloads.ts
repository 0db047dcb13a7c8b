// DJEPVA's association answer (v4 API Association): identity, addresses, establishments and legal
// representatives of the associations of the population; every other company gets the 404.
import { Prng } from '../deterministic-random';
import { isAlsaceMoselle } from '../french-reference-data';
import type { SyntheticCompany, SyntheticEstablishment } from '../synthetic-companies';
import { headOffice, NOT_FOUND, ok, type PayloadContext, type PayloadResult, type Subject } from './payload-context';

const TRIBUNALS: Record<string, string> = {
  '57': "Tribunal d'instance de Metz",
  '67': "Tribunal d'instance de Saverne",
  '68': "Tribunal d'instance de Colmar",
};

function associationAddress(e: SyntheticEstablishment) {
  const a = e.address;
  return {
    complement: a.complement,
    numero_voie: a.number,
    type_voie: a.streetType.toLowerCase(),
    libelle_voie: a.streetName.toLowerCase(),
    distribution: null,
    code_insee: a.town.inseeCode,
    code_postal: a.town.postalCode,
    commune: a.town.name,
  };
}

function establishmentEntry(company: SyntheticCompany, e: SyntheticEstablishment, prng: Prng) {
  const president = company.officers[0]?.person;
  const sex = prng.chance(0.5) ? 'M' : 'F';
  return {
    siren: company.siren,
    siret: e.siret,
    actif: e.active,
    siege: e.headOffice,
    nom: company.name,
    telephone: null,
    courriel: null,
    date_debut_activite: e.createdOn,
    adresse: associationAddress(e),
    activite_principale: { code: company.activity.code, libelle: company.activity.label },
    tranche_effectif: { code: e.headcount.code, libelle: e.headcount.label },
    rhs: [],
    comptes: [],
    representants_legaux: e.headOffice
      ? [
          {
            civilite: (president?.sex ?? sex) === 'M' ? 'Monsieur' : 'Madame',
            nom: president?.lastName ?? prng.pick(['MARTIN', 'DUBOIS', 'ROUX']),
            prenom: president?.firstNames[0] ?? (sex === 'M' ? 'JEAN' : 'MARIE'),
            fonction: 'Président',
            valideur_cec: false,
            publication_internet: false,
            telephone: null,
            courriel: null,
          },
        ]
      : [],
    documents_dac: [],
  };
}

export function associationAnswer(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.association) return NOT_FOUND;
  const prng = new Prng('association', ctx.seed, company.siren);
  const head = headOffice(company);
  const localLaw = isAlsaceMoselle(head.address.town);
  const address = associationAddress(head);
  return ok({
    data: {
      rna: company.rna,
      ancien_id: null,
      siren: company.siren,
      nom: company.name,
      active: company.ceasedOn === null,
      sigle: company.sigle,
      reconnue_utilite_publique: company.legalForm.code === '9230',
      siret_siege: head.siret,
      forme_juridique: { code: company.legalForm.code, libelle: company.legalForm.label },
      regime: localLaw ? 'Alsace-Moselle' : 'Loi 1901',
      groupement: 'Simple',
      eligibilite_cec: false,
      raison_non_eligibilite_cec: "L’objet de l’association ne rentre pas dans les critères d’éligibilité au CEC",
      impots_commerciaux: false,
      date_creation: company.createdOn,
      date_dissolution: company.ceasedOn,
      date_publication_reconnue_utilite_publique: company.legalForm.code === '9230' ? company.createdOn : null,
      date_publication_journal_officiel: localLaw ? null : company.createdOn,
      adresse_siege: address,
      adresse_gestion: address,
      alsace_moselle: localLaw
        ? {
            tribunal_instance: TRIBUNALS[head.address.town.inseeCode.slice(0, 2)] ?? null,
            volume: String(prng.between(1, 200)),
            folio: String(prng.between(1, 999)).padStart(3, '0'),
            date_publication_registre_association: company.createdOn,
          }
        : { tribunal_instance: null, volume: null, folio: null, date_publication_registre_association: null },
      composition_reseau: [],
      agrements: [],
      activites: {
        objet: `Favoriser les activités de l’association « ${company.name} » et les liens entre ses membres.`,
        objet_social1: { code: '011000', libelle: 'activités associatives' },
        objet_social2: { code: null, libelle: null },
        champ_action_territorial: 'local',
        activite_principale: { code: company.activity.code, libelle: company.activity.label, annee: '2023' },
        tranche_effectif: { code: company.headcount.code, libelle: company.headcount.label, annee: '2023' },
        economie_sociale_et_solidaire: true,
        date_appartenance_ess: null,
      },
      etablissements: company.establishments.map((e) => establishmentEntry(company, e, prng)),
      reseaux_affiliation: [],
      documents_rna: [],
    },
    links: {},
    meta: {
      internal_id: company.rna ?? company.siren,
      date_derniere_mise_a_jour_sirene: company.ceasedOn ?? company.createdOn,
      date_derniere_mise_a_jour_rna: company.rna ? company.createdOn : null,
    },
  });
}
