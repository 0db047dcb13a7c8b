// Attestation normalisers on hand-written payloads. The rule above all (BRIEF §3): an absence of
// "yes" is not a "no". Only an explicit refusal — URSSAF `refus_de_delivrance`, PRO BTP
// `eligible: false`, MSA `outdated` — makes an attestation `refused`.
import { describe, expect, it } from 'vitest';
import type { AttestationRecord } from '../../src-main/common/company-records';
import type { EndpointId } from '../../src-main/node/api-entreprise/endpoint-catalogue';
import { MalformedPayloadError, normalizeAnswer } from '../../src-main/node/api-entreprise/normalizers/normalize-answer';
import { makeSiren, makeSiret } from '../support/identifiers-fixture';

const SIREN = makeSiren(777);
const SIRET = makeSiret(777, 3);

function only(endpoint: EndpointId, payload: unknown, identifier = SIREN): AttestationRecord {
  const answer = normalizeAnswer(endpoint, payload, identifier);
  expect(answer.attestations).toHaveLength(1);
  expect(answer.company).toBeNull();
  return answer.attestations[0] as AttestationRecord;
}

function vigilance(data: Record<string, unknown>) {
  return {
    data: {
      document_url: null,
      document_url_expires_in: null,
      date_debut_validite: null,
      date_fin_validite: null,
      code_securite: null,
      entity_status: { code: 'ok', libelle: 'Attestation délivrée par l’Urssaf', description: 'À jour.' },
      ...data,
    },
    links: {},
    meta: {},
  };
}

describe('URSSAF attestation de vigilance', () => {
  it('delivered: dates, security code, document and its expiry', () => {
    const a = only(
      'urssaf.attestation_vigilance',
      vigilance({
        document_url: 'https://files.example.test/vigilance.pdf',
        document_url_expires_in: 86400,
        date_debut_validite: '2024-02-10',
        date_fin_validite: '2024-08-31',
        code_securite: 'QWERTY12345ABCD',
      }),
    );
    expect(a).toEqual({
      kind: 'urssaf_vigilance',
      siren: SIREN,
      siret: null,
      status: 'delivered',
      statusLabel: 'Attestation délivrée par l’Urssaf',
      validFrom: '2024-02-10',
      validUntil: '2024-08-31',
      issuedOn: null,
      periodAnalyzed: null,
      securityCode: 'QWERTY12345ABCD',
      documentUrl: 'https://files.example.test/vigilance.pdf',
      documentUrlExpiresInSeconds: 86400,
      details: { 'Code URSSAF': 'ok', Explication: 'À jour.' },
    });
  });

  it('code "ok" with null dates and no document is delivered with unknown dates, never refused', () => {
    const a = only('urssaf.attestation_vigilance', vigilance({}));
    expect(a).toMatchObject({ status: 'delivered', validFrom: null, validUntil: null, securityCode: null, documentUrl: null });
  });

  it('refus_de_delivrance, and only it, is a refusal', () => {
    const refused = only(
      'urssaf.attestation_vigilance',
      vigilance({ entity_status: { code: 'refus_de_delivrance', libelle: 'Délivrance refusée', description: 'Pas à jour.' } }),
    );
    expect(refused).toMatchObject({ status: 'refused', statusLabel: 'Délivrance refusée' });
  });

  it('an unknown entity_status code is unknown, whatever its wording', () => {
    for (const code of ['en_attente', 'refus', 'REFUS_PARTIEL', '']) {
      const a = only('urssaf.attestation_vigilance', vigilance({ entity_status: { code, libelle: 'Refusé ?', description: null } }));
      expect(a.status, code).toBe('unknown');
    }
  });

  it('accepts a missing libelle/description but not a missing entity_status', () => {
    expect(only('urssaf.attestation_vigilance', vigilance({ entity_status: { code: 'ok' } })).status).toBe('delivered');
    const broken = vigilance({});
    delete (broken.data as Record<string, unknown>)['entity_status'];
    expect(() => normalizeAnswer('urssaf.attestation_vigilance', broken, SIREN)).toThrow(MalformedPayloadError);
  });

  it('an unreadable validity date makes the answer unusable rather than guessed', () => {
    expect(() => normalizeAnswer('urssaf.attestation_vigilance', vigilance({ date_fin_validite: 'fin août' }), SIREN)).toThrow(
      /data\.date_fin_validite: not a readable date/,
    );
    expect(only('urssaf.attestation_vigilance', vigilance({ date_fin_validite: '31/08/2024' })).validUntil).toBe('2024-08-31');
  });
});

describe('DGFIP attestation fiscale', () => {
  const fiscal = (data: Record<string, unknown>) => ({ data, links: {}, meta: {} });

  it('keeps the issue date and the period analysed (last day of the previous month)', () => {
    const a = only(
      'dgfip.attestation_fiscale',
      fiscal({
        document_url: 'https://files.example.test/fiscale.pdf',
        document_url_expires_in: 600,
        date_delivrance_attestation: '2024-06-05',
        date_periode_analysee: '2024-05-31',
      }),
    );
    expect(a).toMatchObject({
      kind: 'dgfip_fiscale',
      status: 'delivered',
      issuedOn: '2024-06-05',
      periodAnalyzed: '2024-05-31',
      validFrom: null,
      validUntil: null,
      documentUrlExpiresInSeconds: 600,
    });
  });

  it('an answer with nothing in it is unknown, not refused', () => {
    const a = only(
      'dgfip.attestation_fiscale',
      fiscal({ document_url: null, document_url_expires_in: null, date_delivrance_attestation: null, date_periode_analysee: null }),
    );
    expect(a).toMatchObject({ status: 'unknown', issuedOn: null, periodAnalyzed: null });
    expect(only('dgfip.attestation_fiscale', fiscal({})).status).toBe('unknown');
  });
});

describe('social contributions', () => {
  it('PRO BTP conformité: eligible true is delivered, false an explicit refusal; anything else is unusable', () => {
    expect(only('probtp.conformite', { data: { eligible: true } }, SIRET)).toMatchObject({ kind: 'probtp_conformite', siren: SIREN, siret: SIRET, status: 'delivered' });
    expect(only('probtp.conformite', { data: { eligible: false } }, SIRET).status).toBe('refused');
    expect(() => normalizeAnswer('probtp.conformite', { data: { eligible: null } }, SIRET)).toThrow(MalformedPayloadError);
    expect(() => normalizeAnswer('probtp.conformite', { data: { eligible: 'false' } }, SIRET)).toThrow(/data\.eligible: invalid_type \(expected boolean\)/);
  });

  it('MSA: up_to_date delivered, outdated refused, under_investigation and unknown codes unknown', () => {
    const status = (code: string) => only('msa.conformite', { data: { status: code } }, SIRET).status;
    expect(status('up_to_date')).toBe('delivered');
    expect(status('outdated')).toBe('refused');
    expect(status('under_investigation')).toBe('unknown');
    expect(status('constructor')).toBe('unknown');
    expect(status('bientot')).toBe('unknown');
  });

  it('CNETP, CIBTP, PRO BTP attestations: a document is delivered; no document is unknown', () => {
    const cases = [
      ['cnetp.attestation', 'cnetp', SIREN],
      ['cibtp.attestation', 'cibtp', SIRET],
      ['probtp.attestation', 'probtp_attestation', SIRET],
    ] as const;
    for (const [endpoint, kind, identifier] of cases) {
      const a = only(endpoint, { data: { document_url: 'https://files.example.test/c.pdf', expires_in: 600 } }, identifier);
      expect(a).toMatchObject({ kind, status: 'delivered', documentUrl: 'https://files.example.test/c.pdf', documentUrlExpiresInSeconds: 600 });
      expect(only(endpoint, { data: { document_url: null, expires_in: null } }, identifier).status).toBe('unknown');
    }
  });
});

describe('certifications', () => {
  it('Qualibat v4: validity, certifications and insurances as displayable details', () => {
    const a = only(
      'qualibat.certification',
      {
        data: {
          document_url: 'https://files.example.test/qualibat.pdf',
          document_url_expires_in: 3600,
          date_emission: '2024-01-10',
          date_fin_validite: '2025-01-09',
          entity: {
            assurance_responsabilite_travaux: { nom: 'MUTUELLE DU BATIMENT', identifiant: 'RT-998' },
            assurance_responsabilite_civile: { nom: null, identifiant: null },
            certifications: [
              { code: '2111', libelle: 'Maçonnerie et béton armé courants', rge: false, date_attribution: '2021-05-03' },
              { code: '7131', libelle: 'Isolation thermique par l’intérieur', rge: true, date_attribution: '2023-02-01' },
            ],
          },
        },
      },
      SIRET,
    );
    expect(a).toMatchObject({ kind: 'qualibat', siret: SIRET, status: 'delivered', issuedOn: '2024-01-10', validUntil: '2025-01-09' });
    expect(a.details).toEqual({
      Qualifications: '2111 Maçonnerie et béton armé courants attribuée le 2021-05-03\n7131 Isolation thermique par l’intérieur (RGE) attribuée le 2023-02-01',
      RGE: 'oui',
      'Assurance responsabilité travaux': 'MUTUELLE DU BATIMENT (n° RT-998)',
    });
  });

  it('RGE and Qualifelec: one attestation per certificate; none is no attestation, not a refusal', () => {
    const rge = normalizeAnswer(
      'ademe.certification_rge',
      {
        data: [
          {
            data: {
              url: 'https://files.example.test/rge.pdf',
              nom_certificat: 'QualiPAC',
              domaine: 'Pompe à chaleur : chauffage',
              meta_domaine: 'Installations d’énergies renouvelables',
              qualification: { code: '41', nom: 'QualiPAC chauffage' },
              organisme: 'qualitenr',
              date_attribution: '2023-03-01',
              date_expiration: '2027-02-28',
              meta: { internal_id: 'x', updated_at: '2023-03-02', archived: true },
            },
          },
        ],
      },
      SIRET,
    );
    expect(rge.attestations).toHaveLength(1);
    expect(rge.attestations[0]).toMatchObject({ kind: 'rge', status: 'delivered', validFrom: '2023-03-01', validUntil: '2027-02-28', details: { Archivé: 'oui' } });
    expect(normalizeAnswer('ademe.certification_rge', { data: [] }, SIRET).attestations).toEqual([]);
    expect(normalizeAnswer('qualifelec.certificats', { data: [], meta: {}, links: {} }, SIRET).attestations).toEqual([]);
  });

  it('Qualiopi: certified actions make it delivered; a declaration without them is unknown', () => {
    const declaration = (flags: Record<string, boolean | null>, actif: boolean | null = true) => ({
      numero_de_declaration: '11223344556',
      actif,
      date_derniere_declaration: '2023-04-01',
      date_debut_exercice: '2023-01-01',
      date_fin_exercice: '2023-12-31',
      certification_qualiopi: {
        action_formation: false,
        bilan_competences: false,
        validation_acquis_experience: false,
        apprentissage: false,
        obtention_via_unite_legale: null,
        ...flags,
      },
      specialites: null,
    });
    const answer = normalizeAnswer(
      'carif_oref.qualiopi',
      {
        data: {
          siret: SIRET,
          code_uai: null,
          unite_legale_avec_plusieurs_nda: false,
          declarations_activites_etablissement: [
            declaration({ bilan_competences: true, apprentissage: true }),
            declaration({}),
            declaration({ action_formation: true }, false),
          ],
          habilitations_france_competence: [],
        },
      },
      SIRET,
    );
    expect(answer.attestations.map((a) => a.status)).toEqual(['delivered', 'unknown', 'unknown']);
    expect(answer.attestations[0]?.details['Actions certifiées Qualiopi']).toBe('Bilans de compétences, Actions de formation par apprentissage');
  });

  it('OPQIBI: the certificate page is a detail, not a document to download', () => {
    const a = only('opqibi.certification', {
      data: {
        numero_certificat: '24-0001',
        url: 'https://opqibi.example.test/fiche/1',
        date_delivrance_certificat: '2024-01-02',
        duree_validite_certificat: 'valable quatre ans',
        assurances: null,
        qualifications: [],
        date_validite_qualifications: '2028-01-01',
        qualifications_probatoires: null,
        date_validite_qualifications_probatoires: null,
      },
    });
    expect(a).toMatchObject({ kind: 'opqibi', status: 'delivered', documentUrl: null, issuedOn: '2024-01-02', validUntil: '2028-01-01' });
    expect(a.details['Fiche OPQIBI']).toBe('https://opqibi.example.test/fiche/1');
  });

  it('FNTP professional card: a document with its expiry', () => {
    expect(only('fntp.carte_professionnelle', { data: { document_url: 'https://files.example.test/fntp.pdf', expires_in: 7200 } })).toMatchObject({
      kind: 'fntp_carte_pro',
      status: 'delivered',
      documentUrlExpiresInSeconds: 7200,
    });
  });
});
