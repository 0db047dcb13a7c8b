// Document answers: URSSAF and DGFIP v4 attestations (BRIEF §4 dates), CNETP, CIBTP, PRO BTP, FNTP
// and Qualibat. Each successful answer registers a PDF and points `document_url` at it. Field names
// follow each path's schema: v4 URSSAF/DGFIP/Qualibat use `document_url_expires_in`, the v3
// CNETP/CIBTP/PRO BTP/FNTP answers use `expires_in`.
import { hexDigest, Prng } from '../deterministic-random';
import {
  addDays,
  endOfMonthAfter,
  lastDayOfPreviousMonth,
  parisToday,
  toIsoDate,
  type CivilDate,
} from '../paris-calendar';
import { issueDocument, NOT_FOUND, ok, type PayloadContext, type PayloadResult, type Subject } from './payload-context';

function frenchDate(date: CivilDate): string {
  return `${String(date.day).padStart(2, '0')}/${String(date.month).padStart(2, '0')}/${date.year}`;
}

const SECURITY_CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 15 characters, like the codes printed on real attestations. */
export function securityCode(seed: string, siren: string, issuedOn: string): string {
  const hex = hexDigest(30, seed, 'code_securite', siren, issuedOn);
  let code = '';
  for (let i = 0; i < 30; i += 2) code += SECURITY_CODE_ALPHABET[parseInt(hex.slice(i, i + 2), 16) % 36];
  return code;
}

export function urssafAttestation(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  const status = company.coverage.urssaf;
  if (status === 'unknown') return NOT_FOUND;
  if (status === 'refus_de_delivrance') {
    // an explicit refusal: the only answer that says "not up to date" (BRIEF §3)
    return ok({
      data: {
        entity_status: {
          code: 'refus_de_delivrance',
          libelle: "Délivrance de l'attestation refusée par l'Urssaf",
          description:
            "La délivrance de l'attestation de vigilance a été refusée par l'Urssaf car l'entité n'est pas à jour de ses cotisations sociales.",
        },
        date_debut_validite: null,
        date_fin_validite: null,
        code_securite: null,
        document_url: null,
        document_url_expires_in: null,
      },
      links: {},
      meta: {},
    });
  }
  const start = parisToday(ctx.nowMs);
  const end = endOfMonthAfter(start, 6);
  const code = securityCode(ctx.seed, company.siren, toIsoDate(start));
  const { document, url, expiresIn } = issueDocument(ctx, 'urssaf.attestation_vigilance', subject, {
    title: 'Attestation de vigilance',
    issuer: 'URSSAF',
    lines: [
      ['Début de validité', frenchDate(start)],
      ['Fin de validité', frenchDate(end)],
      ['Code de sécurité', code],
    ],
  });
  return ok(
    {
      data: {
        entity_status: {
          code: 'ok',
          libelle: "Attestation délivrée par l'Urssaf",
          description:
            "La délivrance de l'attestation de vigilance a été validée par l'Urssaf. L'attestation est délivrée lorsque l'entité est à jour de ses cotisations et contributions, ou bien dans le cas de situations spécifiques détaillées dans la documentation métier.",
        },
        date_debut_validite: toIsoDate(start),
        date_fin_validite: toIsoDate(end),
        code_securite: code,
        document_url: url,
        document_url_expires_in: expiresIn,
      },
      links: {},
      meta: {},
    },
    document,
  );
}

export function dgfipAttestation(ctx: PayloadContext, subject: Subject): PayloadResult {
  if (!subject.company.coverage.dgfip) return NOT_FOUND;
  const issued = parisToday(ctx.nowMs);
  const period = lastDayOfPreviousMonth(issued);
  const { document, url, expiresIn } = issueDocument(ctx, 'dgfip.attestation_fiscale', subject, {
    title: 'Attestation de régularité fiscale',
    issuer: 'DGFIP',
    lines: [
      ['Date de délivrance', frenchDate(issued)],
      ['Situation appréciée au', frenchDate(period)],
      ['Impôts couverts', 'TVA, impôt sur les sociétés'],
    ],
  });
  return ok(
    {
      data: {
        document_url: url,
        document_url_expires_in: expiresIn,
        date_delivrance_attestation: toIsoDate(issued),
        date_periode_analysee: toIsoDate(period),
      },
      links: {},
      meta: {},
    },
    document,
  );
}

/** The v3 document answers share one shape: `{document_url, expires_in}`. */
function simpleDocument(
  ctx: PayloadContext,
  subject: Subject,
  endpoint: 'cnetp.attestation' | 'cibtp.attestation' | 'probtp.attestation' | 'fntp.carte_professionnelle',
  title: string,
  issuer: string,
): PayloadResult {
  const issued = parisToday(ctx.nowMs);
  const { document, url, expiresIn } = issueDocument(ctx, endpoint, subject, {
    title,
    issuer,
    lines: [
      ['Date de délivrance', frenchDate(issued)],
      ['Valable jusqu’au', frenchDate(endOfMonthAfter(issued, 3))],
    ],
  });
  return ok({ data: { document_url: url, expires_in: expiresIn }, links: {}, meta: {} }, document);
}

export function cnetpAttestation(ctx: PayloadContext, subject: Subject): PayloadResult {
  if (!subject.company.coverage.cnetp) return NOT_FOUND;
  return simpleDocument(ctx, subject, 'cnetp.attestation', 'Attestation de cotisations congés payés et chômage-intempéries', 'CNETP');
}

export function cibtpAttestation(ctx: PayloadContext, subject: Subject): PayloadResult {
  if (!subject.company.coverage.cibtp) return NOT_FOUND;
  return simpleDocument(ctx, subject, 'cibtp.attestation', 'Certificat de cotisations congés payés et chômage-intempéries', 'CIBTP');
}

export function probtpAttestation(ctx: PayloadContext, subject: Subject): PayloadResult {
  if (!subject.company.coverage.probtp) return NOT_FOUND;
  return simpleDocument(ctx, subject, 'probtp.attestation', 'Attestation de cotisations retraite complémentaire', 'PRO BTP');
}

export function fntpCard(ctx: PayloadContext, subject: Subject): PayloadResult {
  if (!subject.company.coverage.fntp) return NOT_FOUND;
  return simpleDocument(ctx, subject, 'fntp.carte_professionnelle', 'Carte professionnelle travaux publics', 'FNTP');
}

const QUALIBAT_CERTIFICATIONS = [
  { code: '2111', libelle: 'Maçonnerie et béton armé courants', rge: false },
  { code: '3521', libelle: 'Menuiserie extérieure bois et PVC', rge: false },
  { code: '5112', libelle: 'Plâtrerie et plaques de plâtre (technicité courante)', rge: false },
  { code: '7131', libelle: 'Isolation thermique par l’intérieur', rge: true },
  { code: '8621', libelle: 'Installation de pompes à chaleur', rge: true },
  { code: '3111', libelle: 'Charpente et structure en bois (technicité courante)', rge: false },
] as const;

const INSURERS = ['MUTUELLE DU BÂTIMENT', 'ASSURANCES DU VAL', 'COMPAGNIE DES ARTISANS', 'MUTUELLE DES TRAVAUX'] as const;

export function qualibatCertification(ctx: PayloadContext, subject: Subject): PayloadResult {
  const { company } = subject;
  if (!company.coverage.qualibat) return NOT_FOUND;
  const prng = new Prng('qualibat', ctx.seed, company.siren);
  const today = parisToday(ctx.nowMs);
  // certificates are reviewed every year: issued some months ago, valid for a year
  const issued = addDays(today, -prng.between(10, 300));
  const validUntil = addDays(issued, 365);
  const count = prng.between(1, 3);
  const first = prng.int(QUALIBAT_CERTIFICATIONS.length);
  const certifications = Array.from({ length: count }, (_, i) => {
    const cert = QUALIBAT_CERTIFICATIONS[(first + i) % QUALIBAT_CERTIFICATIONS.length];
    return {
      code: cert?.code ?? '2111',
      libelle: cert?.libelle ?? 'Maçonnerie et béton armé courants',
      rge: cert?.rge ?? false,
      date_attribution: toIsoDate(addDays(issued, -prng.between(0, 2000))),
    };
  });
  const insurer = prng.pick(INSURERS);
  const policy = String(prng.between(1_000_000_000, 9_999_999_999));
  const { document, url, expiresIn } = issueDocument(ctx, 'qualibat.certification', subject, {
    title: 'Certificat de qualification Qualibat',
    issuer: 'QUALIBAT',
    lines: [
      ['Date d’émission', frenchDate(issued)],
      ['Fin de validité', frenchDate(validUntil)],
      ...certifications.map((c) => [`Qualification ${c.code}`, c.libelle] as const),
    ],
  });
  return ok(
    {
      data: {
        document_url: url,
        document_url_expires_in: expiresIn,
        date_emission: toIsoDate(issued),
        date_fin_validite: toIsoDate(validUntil),
        entity: {
          assurance_responsabilite_travaux: { nom: insurer, identifiant: policy },
          assurance_responsabilite_civile: { nom: insurer, identifiant: String(Number(policy) + 1) },
          certifications,
        },
      },
      links: {},
      meta: {},
    },
    document,
  );
}
