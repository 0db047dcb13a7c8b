// Public reference lists the synthetic population is drawn from: INSEE legal-form codes, NAF rev. 2
// activities, headcount bands, towns and common names. The combinations are invented; only the
// nomenclatures are real, so the data looks plausible in the app without describing anybody.

export type Sector =
  | 'batiment'
  | 'travaux_publics'
  | 'electricite'
  | 'ingenierie'
  | 'formation'
  | 'agricole'
  | 'services'
  | 'commerce'
  | 'association';

export interface Activity {
  code: string;
  label: string;
  sector: Sector;
  /** Words used to build a trade name ("MENUISERIE", "PLOMBERIE"). */
  trade: string;
}

export const ACTIVITIES: readonly Activity[] = [
  { code: '41.20A', label: 'Construction de maisons individuelles', sector: 'batiment', trade: 'CONSTRUCTIONS' },
  { code: '43.21A', label: 'Travaux d’installation électrique dans tous locaux', sector: 'electricite', trade: 'ÉLECTRICITÉ' },
  { code: '43.22A', label: 'Travaux d’installation d’eau et de gaz en tous locaux', sector: 'batiment', trade: 'PLOMBERIE' },
  { code: '43.22B', label: 'Travaux d’installation d’équipements thermiques et de climatisation', sector: 'batiment', trade: 'CHAUFFAGE' },
  { code: '43.32A', label: 'Travaux de menuiserie bois et PVC', sector: 'batiment', trade: 'MENUISERIE' },
  { code: '43.34Z', label: 'Travaux de peinture et vitrerie', sector: 'batiment', trade: 'PEINTURE' },
  { code: '43.91B', label: 'Travaux de couverture par éléments', sector: 'batiment', trade: 'COUVERTURE' },
  { code: '43.99C', label: 'Travaux de maçonnerie générale et gros œuvre de bâtiment', sector: 'batiment', trade: 'MAÇONNERIE' },
  { code: '42.11Z', label: 'Construction de routes et autoroutes', sector: 'travaux_publics', trade: 'TRAVAUX PUBLICS' },
  { code: '42.21Z', label: 'Construction de réseaux pour fluides', sector: 'travaux_publics', trade: 'RÉSEAUX' },
  { code: '43.12A', label: 'Travaux de terrassement courants et travaux préparatoires', sector: 'travaux_publics', trade: 'TERRASSEMENT' },
  { code: '71.12B', label: 'Ingénierie, études techniques', sector: 'ingenierie', trade: 'INGÉNIERIE' },
  { code: '71.11Z', label: 'Activités d’architecture', sector: 'ingenierie', trade: 'ARCHITECTURE' },
  { code: '85.59A', label: 'Formation continue d’adultes', sector: 'formation', trade: 'FORMATION' },
  { code: '01.61Z', label: 'Activités de soutien aux cultures', sector: 'agricole', trade: 'SERVICES AGRICOLES' },
  { code: '02.20Z', label: 'Exploitation forestière', sector: 'agricole', trade: 'FORESTIÈRE' },
  { code: '81.30Z', label: 'Services d’aménagement paysager', sector: 'services', trade: 'PAYSAGES' },
  { code: '81.21Z', label: 'Nettoyage courant des bâtiments', sector: 'services', trade: 'PROPRETÉ' },
  { code: '56.29A', label: 'Restauration collective sous contrat', sector: 'services', trade: 'RESTAURATION' },
  { code: '49.39A', label: 'Transports routiers réguliers de voyageurs', sector: 'services', trade: 'TRANSPORTS' },
  { code: '62.02A', label: 'Conseil en systèmes et logiciels informatiques', sector: 'services', trade: 'INFORMATIQUE' },
  { code: '69.20Z', label: 'Activités comptables', sector: 'services', trade: 'EXPERTISE COMPTABLE' },
  { code: '45.20A', label: 'Entretien et réparation de véhicules automobiles légers', sector: 'services', trade: 'GARAGE' },
  { code: '18.12Z', label: 'Autre imprimerie (labeur)', sector: 'commerce', trade: 'IMPRIMERIE' },
  { code: '10.71C', label: 'Boulangerie et boulangerie-pâtisserie', sector: 'commerce', trade: 'BOULANGERIE' },
  { code: '47.62Z', label: 'Commerce de détail de journaux et papeterie en magasin spécialisé', sector: 'commerce', trade: 'PAPETERIE' },
  { code: '46.73A', label: 'Commerce de gros (commerce interentreprises) de bois et de matériaux de construction', sector: 'commerce', trade: 'MATÉRIAUX' },
];

export const ASSOCIATION_ACTIVITIES: readonly Activity[] = [
  { code: '94.99Z', label: 'Autres organisations fonctionnant par adhésion volontaire', sector: 'association', trade: 'ASSOCIATION' },
  { code: '93.12Z', label: 'Activités de clubs de sports', sector: 'association', trade: 'CLUB SPORTIF' },
  { code: '88.99B', label: 'Action sociale sans hébergement n.c.a.', sector: 'association', trade: 'ENTRAIDE' },
  { code: '90.01Z', label: 'Arts du spectacle vivant', sector: 'association', trade: 'COMPAGNIE' },
];

export interface LegalForm {
  code: string;
  label: string;
  /** Infogreffe's short form, for the RCS extract. */
  rcsCode: string | null;
  rcsLabel: string | null;
}

export const LEGAL_FORMS = {
  entrepreneur: { code: '1000', label: 'Entrepreneur individuel', rcsCode: null, rcsLabel: null },
  sarl: {
    code: '5499',
    label: 'Société à responsabilité limitée (sans autre indication)',
    rcsCode: 'SARL',
    rcsLabel: 'SOCIETE A RESPONSABILITE LIMITEE',
  },
  eurl: { code: '5498', label: 'SARL unipersonnelle', rcsCode: 'EURL', rcsLabel: 'SOCIETE A RESPONSABILITE LIMITEE A ASSOCIE UNIQUE' },
  sas: { code: '5710', label: 'SAS, société par actions simplifiée', rcsCode: 'SAS', rcsLabel: 'SOCIETE PAR ACTIONS SIMPLIFIEE' },
  sasu: {
    code: '5720',
    label: 'Société par actions simplifiée à associé unique ou société par actions simplifiée unipersonnelle',
    rcsCode: 'SASU',
    rcsLabel: 'SOCIETE PAR ACTIONS SIMPLIFIEE A ASSOCIE UNIQUE',
  },
  sa: { code: '5599', label: 'SA à conseil d’administration (s.a.i.)', rcsCode: 'SA', rcsLabel: 'SOCIETE ANONYME' },
  scop: {
    code: '5458',
    label: 'SARL coopérative ouvrière de production (SCOP)',
    rcsCode: 'SCOP',
    rcsLabel: 'SOCIETE COOPERATIVE OUVRIERE DE PRODUCTION',
  },
  gaec: { code: '6533', label: 'Groupement agricole d’exploitation en commun (GAEC)', rcsCode: 'GAEC', rcsLabel: 'GROUPEMENT AGRICOLE D’EXPLOITATION EN COMMUN' },
  association: { code: '9220', label: 'Association déclarée', rcsCode: null, rcsLabel: null },
  associationRup: { code: '9230', label: 'Association déclarée, reconnue d’utilité publique', rcsCode: null, rcsLabel: null },
  associationLocal: {
    code: '9260',
    label: 'Association de droit local (Bas-Rhin, Haut-Rhin et Moselle)',
    rcsCode: null,
    rcsLabel: null,
  },
} as const satisfies Record<string, LegalForm>;

export interface HeadcountBand {
  code: string;
  label: string;
  from: number | null;
  to: number | null;
}

export const HEADCOUNT_BANDS: readonly HeadcountBand[] = [
  { code: 'NN', label: 'Unités non employeuses', from: null, to: null },
  { code: '00', label: '0 salarié', from: 0, to: 0 },
  { code: '01', label: '1 ou 2 salariés', from: 1, to: 2 },
  { code: '02', label: '3 à 5 salariés', from: 3, to: 5 },
  { code: '03', label: '6 à 9 salariés', from: 6, to: 9 },
  { code: '11', label: '10 à 19 salariés', from: 10, to: 19 },
  { code: '12', label: '20 à 49 salariés', from: 20, to: 49 },
  { code: '21', label: '50 à 99 salariés', from: 50, to: 99 },
  { code: '22', label: '100 à 199 salariés', from: 100, to: 199 },
  { code: '31', label: '200 à 249 salariés', from: 200, to: 249 },
  { code: '32', label: '250 à 499 salariés', from: 250, to: 499 },
];

export interface Town {
  name: string;
  postalCode: string;
  /** INSEE commune code. */
  inseeCode: string;
  /** Infogreffe court registry for the RCS extract. */
  greffe: string;
  greffeCode: string;
}

export const TOWNS: readonly Town[] = [
  { name: 'AURILLAC', postalCode: '15000', inseeCode: '15014', greffe: 'AURILLAC', greffeCode: '1501' },
  { name: 'SAINT-FLOUR', postalCode: '15100', inseeCode: '15187', greffe: 'AURILLAC', greffeCode: '1501' },
  { name: 'RODEZ', postalCode: '12000', inseeCode: '12202', greffe: 'RODEZ', greffeCode: '1203' },
  { name: 'MENDE', postalCode: '48000', inseeCode: '48095', greffe: 'MENDE', greffeCode: '4801' },
  { name: 'GUÉRET', postalCode: '23000', inseeCode: '23096', greffe: 'GUERET', greffeCode: '2301' },
  { name: 'LIMOGES', postalCode: '87000', inseeCode: '87085', greffe: 'LIMOGES', greffeCode: '8701' },
  { name: 'CLERMONT-FERRAND', postalCode: '63000', inseeCode: '63113', greffe: 'CLERMONT-FERRAND', greffeCode: '6303' },
  { name: 'NEVERS', postalCode: '58000', inseeCode: '58194', greffe: 'NEVERS', greffeCode: '5802' },
  { name: 'AUXERRE', postalCode: '89000', inseeCode: '89024', greffe: 'AUXERRE', greffeCode: '8901' },
  { name: 'DIJON', postalCode: '21000', inseeCode: '21231', greffe: 'DIJON', greffeCode: '2104' },
  { name: 'MÂCON', postalCode: '71000', inseeCode: '71270', greffe: 'MACON', greffeCode: '7106' },
  { name: 'BESANÇON', postalCode: '25000', inseeCode: '25056', greffe: 'BESANCON', greffeCode: '2501' },
  { name: 'COLMAR', postalCode: '68000', inseeCode: '68066', greffe: 'COLMAR', greffeCode: '6851' },
  { name: 'SAVERNE', postalCode: '67700', inseeCode: '67437', greffe: 'SAVERNE', greffeCode: '6752' },
  { name: 'METZ', postalCode: '57000', inseeCode: '57463', greffe: 'METZ', greffeCode: '5751' },
  { name: 'NANCY', postalCode: '54000', inseeCode: '54395', greffe: 'NANCY', greffeCode: '5402' },
  { name: 'REIMS', postalCode: '51100', inseeCode: '51454', greffe: 'REIMS', greffeCode: '5103' },
  { name: 'AMIENS', postalCode: '80000', inseeCode: '80021', greffe: 'AMIENS', greffeCode: '8002' },
  { name: 'ROUEN', postalCode: '76000', inseeCode: '76540', greffe: 'ROUEN', greffeCode: '7606' },
  { name: 'CAEN', postalCode: '14000', inseeCode: '14118', greffe: 'CAEN', greffeCode: '1402' },
  { name: 'QUIMPER', postalCode: '29000', inseeCode: '29232', greffe: 'QUIMPER', greffeCode: '2903' },
  { name: 'VANNES', postalCode: '56000', inseeCode: '56260', greffe: 'VANNES', greffeCode: '5602' },
  { name: 'RENNES', postalCode: '35000', inseeCode: '35238', greffe: 'RENNES', greffeCode: '3501' },
  { name: 'ANGERS', postalCode: '49000', inseeCode: '49007', greffe: 'ANGERS', greffeCode: '4901' },
  { name: 'TOURS', postalCode: '37000', inseeCode: '37261', greffe: 'TOURS', greffeCode: '3702' },
  { name: 'ORLÉANS', postalCode: '45000', inseeCode: '45234', greffe: 'ORLEANS', greffeCode: '4502' },
  { name: 'POITIERS', postalCode: '86000', inseeCode: '86194', greffe: 'POITIERS', greffeCode: '8602' },
  { name: 'LA ROCHELLE', postalCode: '17000', inseeCode: '17300', greffe: 'LA ROCHELLE', greffeCode: '1704' },
  { name: 'PAU', postalCode: '64000', inseeCode: '64445', greffe: 'PAU', greffeCode: '6403' },
  { name: 'FOIX', postalCode: '09000', inseeCode: '09122', greffe: 'FOIX', greffeCode: '0901' },
  { name: 'GAP', postalCode: '05000', inseeCode: '05061', greffe: 'GAP', greffeCode: '0501' },
  { name: 'ANNECY', postalCode: '74000', inseeCode: '74010', greffe: 'ANNECY', greffeCode: '7401' },
  { name: 'CHAMBÉRY', postalCode: '73000', inseeCode: '73065', greffe: 'CHAMBERY', greffeCode: '7301' },
  { name: 'GRENOBLE', postalCode: '38000', inseeCode: '38185', greffe: 'GRENOBLE', greffeCode: '3802' },
  { name: 'LYON', postalCode: '69003', inseeCode: '69383', greffe: 'LYON', greffeCode: '6901' },
  { name: 'MONTPELLIER', postalCode: '34000', inseeCode: '34172', greffe: 'MONTPELLIER', greffeCode: '3405' },
  { name: 'TOULOUSE', postalCode: '31000', inseeCode: '31555', greffe: 'TOULOUSE', greffeCode: '3102' },
  { name: 'BORDEAUX', postalCode: '33000', inseeCode: '33063', greffe: 'BORDEAUX', greffeCode: '3302' },
  { name: 'NANTES', postalCode: '44000', inseeCode: '44109', greffe: 'NANTES', greffeCode: '4402' },
  { name: 'LILLE', postalCode: '59000', inseeCode: '59350', greffe: 'LILLE METROPOLE', greffeCode: '5910' },
];

/** Towns under local law (Bas-Rhin, Haut-Rhin, Moselle): their associations are "Alsace-Moselle". */
export function isAlsaceMoselle(town: Town): boolean {
  return ['57', '67', '68'].includes(town.inseeCode.slice(0, 2));
}

export const STREET_TYPES = ['RUE', 'AVENUE', 'CHEMIN', 'PLACE', 'ROUTE', 'IMPASSE', 'ALLÉE', 'BOULEVARD', 'QUAI'] as const;

export const STREET_NAMES: readonly string[] = [
  'DE LA GARE',
  'DES ÉCOLES',
  'DU MOULIN',
  'VICTOR HUGO',
  'JEAN JAURÈS',
  'DE LA RÉPUBLIQUE',
  'DES TILLEULS',
  'DE L’ÉGLISE',
  'PASTEUR',
  'DES ARTISANS',
  'DE LA FORGE',
  'DU STADE',
  'DES VIGNES',
  'DU CHÂTEAU',
  'DES PRÉS',
  'DE LA LIBÉRATION',
  'DU COMMERCE',
  'DES ACACIAS',
];

export const SURNAMES: readonly string[] = [
  'MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU',
  'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER',
  'MOREL', 'GIRARD', 'ANDRÉ', 'MERCIER', 'DUPONT', 'LAMBERT', 'BONNET', 'FRANÇOIS', 'MARTINEZ', 'LEGRAND',
  'GARNIER', 'FAURE', 'ROUSSEAU', 'BLANC', 'GUÉRIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS', 'PERRIN',
  'MORIN', 'MATHIEU', 'CLÉMENT', 'GAUTHIER', 'DUMONT', 'LOPEZ', 'FONTAINE', 'CHEVALIER', 'ROBIN', 'MASSON',
];

export const FIRST_NAMES: Record<'M' | 'F', readonly string[]> = {
  M: ['JEAN', 'PIERRE', 'MICHEL', 'ANDRÉ', 'PHILIPPE', 'NICOLAS', 'LAURENT', 'JULIEN', 'THOMAS', 'ANTOINE', 'LUC', 'YVES', 'HUGO', 'LÉO'],
  F: ['MARIE', 'NATHALIE', 'ISABELLE', 'SYLVIE', 'CATHERINE', 'SOPHIE', 'CAMILLE', 'JULIE', 'CLAIRE', 'ANNE', 'LÉA', 'CHLOÉ', 'ÉLODIE', 'MANON'],
};

/** Words for invented trade names ("MENUISERIE DU VAL", "ATELIERS DES COMBES"). */
export const PLACE_WORDS: readonly string[] = [
  'DU VAL', 'DES COMBES', 'DU PLATEAU', 'DE LA VALLÉE', 'DES TROIS RIVIÈRES', 'DU CANTAL', 'DU CAUSSE',
  'DES MONTS', 'DU BOCAGE', 'DE LA PLAINE', 'DU LAC', 'DES COTEAUX', 'DU MARAIS', 'DE LA FORÊT',
];

export const ASSOCIATION_WORDS: readonly string[] = [
  'AMICALE', 'COMITÉ DES FÊTES', 'FOYER RURAL', 'UNION SPORTIVE', 'ASSOCIATION SPORTIVE', 'ENTRAIDE',
  'LES AMIS', 'CLUB', 'ATELIER THÉÂTRE', 'SOU DES ÉCOLES',
];
