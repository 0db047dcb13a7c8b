// JSON answers about certifications and contribution compliance: ADEME RGE, OPQIBI, Qualifelec,
// Qualiopi, PRO BTP compliance and MSA. Companies without the certification get the provider's
// 404 ("an absence of yes is not a no": the client must not read it as non-compliance).
import { Prng } from '../deterministic-random';
import { addDays, parisToday, toIsoDate } from '../paris-calendar';
import { issueDocument, NOT_FOUND, ok, type PayloadContext, type PayloadResult, type Subject } from './payload-context';

const RGE_DOMAINS = [
  { domaine: 'Isolation des combles perdus', meta: "Travaux d'efficacité énergétique", code: '27', nom: 'Qualibat RGE - Isolation thermique' },
  { domaine: 'Poêle ou insert bois', meta: "Installations d'énergies renouvelables", code: '31', nom: 'Qualibois module Air' },
  { domaine: 'Chauffe-Eau Thermodynamique', meta: "Installations d'énergies renouvelables", code: '35', nom: 'QualiPAC module CET' },
  { domaine: 'Ventilation mécanique', meta: "Travaux d'efficacité énergétique", code: '24', nom: 'Qualibat RGE - Ventilation' },
  { domaine: 'Fenêtres de toit', meta: "Travaux d'efficacité énergétique", code: '22', nom: 'Qualibat RGE - Menuiseries' },
] as const;

export function rgeCertificates(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.rge) return NOT_FOUND;
  const prng = new Prng('rge', ctx.seed, company.siren);
  const today = parisToday(ctx.nowMs);
  const count = prng.between(1, 2);
  const first = prng.int(RGE_DOMAINS.length);
  const items = Array.from({ length: count }, (_, i) => {
    const domain = RGE_DOMAINS[(first + i) % RGE_DOMAINS.length] ?? RGE_DOMAINS[0];
    const granted = addDays(today, -prng.between(30, 900));
    const expires = addDays(granted, 4 * 365);
    const { url } = issueDocument(ctx, 'ademe.certification_rge', subject, {
      title: `Certificat RGE – ${domain.nom}`,
      issuer: 'ADEME',
      lines: [
        ['Domaine', domain.domaine],
        ['Attribué le', toIsoDate(granted)],
        ['Expire le', toIsoDate(expires)],
      ],
    });
    return {
      data: {
        url,
        nom_certificat: domain.nom,
        domaine: domain.domaine,
        meta_domaine: domain.meta,
        qualification: { code: domain.code, nom: `${domain.nom} (${domain.code})` },
        organisme: company.coverage.qualibat ? 'qualibat' : 'qualifelec',
        date_attribution: toIsoDate(granted),
        date_expiration: toIsoDate(expires),
        meta: { internal_id: `Q${company.siren}-${domain.code}-${toIsoDate(granted)}`, updated_at: toIsoDate(granted), archived: false },
      },
      links: {},
      meta: {},
    };
  });
  return ok({ data: items, links: {}, meta: {} });
}

export function opqibiCertification(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.opqibi) return NOT_FOUND;
  const prng = new Prng('opqibi', ctx.seed, company.siren);
  const delivered = addDays(parisToday(ctx.nowMs), -prng.between(30, 300));
  const qualification = {
    nom: 'Étude thermique réglementaire',
    code_qualification: '1331',
    definition: 'Réalisation des calculs thermiques réglementaires pour les constructions neuves.',
    rge: true,
  };
  const { url } = issueDocument(ctx, 'opqibi.certification', subject, {
    title: 'Certificat de qualification OPQIBI',
    issuer: 'OPQIBI',
    lines: [
      ['Délivré le', toIsoDate(delivered)],
      ['Qualification', `${qualification.code_qualification} – ${qualification.nom}`],
    ],
  });
  return ok({
    data: {
      numero_certificat: String(prng.between(1_000, 9_999)),
      url,
      date_delivrance_certificat: toIsoDate(delivered),
      duree_validite_certificat: 'valable un an',
      assurances: 'MUTUELLE DES INGÉNIEURS',
      qualifications: [qualification],
      date_validite_qualifications: toIsoDate(addDays(delivered, 4 * 365)),
      qualifications_probatoires: [],
      date_validite_qualifications_probatoires: null,
    },
    links: {},
    meta: {},
  });
}

export function qualifelecCertificates(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.qualifelec) return NOT_FOUND;
  const prng = new Prng('qualifelec', ctx.seed, company.siren);
  const start = addDays(parisToday(ctx.nowMs), -prng.between(30, 600));
  const end = addDays(start, 4 * 365);
  const insuranceEnd = addDays(start, 365 + prng.between(0, 300));
  const { url } = issueDocument(ctx, 'qualifelec.certificats', subject, {
    title: 'Certificat de qualification Qualifelec',
    issuer: 'QUALIFELEC',
    lines: [
      ['Début', toIsoDate(start)],
      ['Fin', toIsoDate(end)],
    ],
  });
  return ok({
    data: [
      {
        data: {
          document_url: url,
          numero: prng.between(1_000, 99_999),
          rge: company.coverage.rge,
          date_debut: toIsoDate(start),
          date_fin: toIsoDate(end),
          qualification: {
            label: 'Installations électriques – Logement, commerce, petit tertiaire',
            date_debut: toIsoDate(start),
            date_fin: toIsoDate(end),
            indices: [{ code: 'IRVE1', label: 'IRVE – indice 1' }],
            // the contract requires at least one mention
            mentions: [company.coverage.rge ? { code: 'RGE', label: 'Reconnu garant de l’environnement' } : { code: 'BAT', label: 'Bâtiment' }],
            domaines: [{ code: 'EL', label: 'Électricité' }],
            classification: { code: 1, label: 'Classe 1 - de 1 à 3 exécutants' },
          },
          assurance_decennale: { nom: 'MUTUELLE DU BÂTIMENT', date_debut: toIsoDate(start), date_fin: toIsoDate(insuranceEnd) },
          assurance_civile: { nom: 'ASSURANCES DU VAL', date_debut: toIsoDate(start), date_fin: toIsoDate(insuranceEnd) },
        },
        links: {},
        meta: {},
      },
    ],
    links: {},
    meta: {},
  });
}

export function qualiopiCertifications(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company, establishment } = subject;
  if (!company.coverage.qualiopi || !establishment) return NOT_FOUND;
  const prng = new Prng('qualiopi', ctx.seed, company.siren);
  const declared = addDays(parisToday(ctx.nowMs), -prng.between(30, 700));
  return ok({
    data: {
      siret: establishment.siret,
      code_uai: null,
      unite_legale_avec_plusieurs_nda: false,
      declarations_activites_etablissement: [
        {
          numero_de_declaration: String(prng.between(10_000_000_000, 99_999_999_999)),
          actif: true,
          date_derniere_declaration: toIsoDate(declared),
          date_debut_exercice: `${declared.year}-01-01`,
          date_fin_exercice: `${declared.year}-12-31`,
          certification_qualiopi: {
            action_formation: true,
            bilan_competences: prng.chance(0.3),
            validation_acquis_experience: prng.chance(0.2),
            apprentissage: prng.chance(0.2),
            obtention_via_unite_legale: false,
          },
          specialites: {
            specialite_1: { code: '333', libelle: 'Enseignement, formation' },
            specialite_2: { code: null, libelle: null },
            specialite_3: { code: null, libelle: null },
          },
        },
      ],
      habilitations_france_competence: [],
    },
    links: {},
    meta: {},
  });
}

export function probtpCompliance(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.probtp) return NOT_FOUND;
  // a few covered companies are behind with their contributions: an explicit "no"
  const eligible = new Prng('probtp', ctx.seed, company.siren).chance(0.9);
  return ok({ data: { eligible }, links: {}, meta: {} });
}

export function msaCompliance(_ctx: PayloadContext, subject: Subject): PayloadResult {
  const status = subject.company.coverage.msa;
  if (status === null) return NOT_FOUND;
  return ok({ data: { status }, links: {}, meta: {} });
}
