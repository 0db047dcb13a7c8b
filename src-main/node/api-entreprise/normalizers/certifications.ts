// Professional certifications: Qualibat (v4), RGE (ADEME), OPQIBI, Qualifelec, Qualiopi and
// France compétences (CARIF-OREF), FNTP professional card. A 200 answer means the body holds
// certificates: each becomes a `delivered` attestation with its validity dates (an expired one is
// still delivered: its dates tell). An empty list yields no attestation, never a refusal.
//
// `documentUrl` is the provider's link to the certificate file whatever the endpoint's catalogue
// `response` kind; the catalogue decides whether Vigie downloads it.
import { z } from 'zod';
import type { AttestationRecord, NormalizedAnswer } from '../../../common/company-records';
import type { EndpointId } from '../endpoint-catalogue';
import { answer, attestation, flag, isoDate, joinParts, list, parsePayload, seconds, text, yesNo } from './shared';

function lines(items: readonly (string | null)[]): string | null {
  const kept = items.filter((item): item is string => item !== null);
  return kept.length > 0 ? kept.join('\n') : null;
}

function anyTrue(values: readonly (boolean | null)[]): boolean | null {
  if (values.some((v) => v === true)) return true;
  return values.some((v) => v === false) ? false : null;
}

// --- Qualibat v4 -------------------------------------------------------------------------------

const insuranceSchema = z.object({ nom: text, identifiant: text }).nullish();

function insurance(value: z.output<typeof insuranceSchema>): string | null {
  if (!value) return null;
  return joinParts([value.nom, value.identifiant ? `(n° ${value.identifiant})` : null]);
}

const qualibatAnswerSchema = z.object({
  data: z.object({
    document_url: text,
    document_url_expires_in: seconds,
    date_emission: isoDate,
    date_fin_validite: isoDate,
    entity: z
      .object({
        assurance_responsabilite_travaux: insuranceSchema,
        assurance_responsabilite_civile: insuranceSchema,
        certifications: list(z.object({ code: text, libelle: text, rge: flag, date_attribution: isoDate })),
      })
      .nullish(),
  }),
});

export function normalizeQualibat(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, qualibatAnswerSchema, payload);
  const certifications = data.entity?.certifications ?? [];
  const delivered = data.document_url !== null || data.date_fin_validite !== null || certifications.length > 0;
  return answer({
    attestations: [
      attestation('qualibat', identifier, {
        status: delivered ? 'delivered' : 'unknown',
        issuedOn: data.date_emission,
        validUntil: data.date_fin_validite,
        documentUrl: data.document_url,
        documentUrlExpiresInSeconds: data.document_url_expires_in,
        details: {
          Qualifications: lines(
            certifications.map((c) =>
              joinParts([c.code, c.libelle, c.rge ? '(RGE)' : null, c.date_attribution ? `attribuée le ${c.date_attribution}` : null]),
            ),
          ),
          RGE: yesNo(anyTrue(certifications.map((c) => c.rge))),
          'Assurance responsabilité travaux': insurance(data.entity?.assurance_responsabilite_travaux ?? null),
          'Assurance responsabilité civile': insurance(data.entity?.assurance_responsabilite_civile ?? null),
        },
      }),
    ],
  });
}

// --- RGE (ADEME) -------------------------------------------------------------------------------

const rgeAnswerSchema = z.object({
  data: z.array(
    z.object({
      data: z.object({
        url: text,
        nom_certificat: text,
        domaine: text,
        meta_domaine: text,
        qualification: z.object({ code: text, nom: text }).nullish(),
        organisme: text,
        date_attribution: isoDate,
        date_expiration: isoDate,
        meta: z.object({ archived: flag }).nullish(),
      }),
    }),
  ),
});

export function normalizeRge(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const parsed = parsePayload(endpoint, rgeAnswerSchema, payload);
  return answer({
    attestations: parsed.data.map(({ data }) =>
      attestation('rge', identifier, {
        status: 'delivered',
        validFrom: data.date_attribution,
        validUntil: data.date_expiration,
        documentUrl: data.url,
        details: {
          Certificat: data.nom_certificat,
          Organisme: data.organisme,
          Domaine: data.domaine,
          'Méta-domaine': data.meta_domaine,
          Qualification: joinParts([data.qualification?.code, data.qualification?.nom], ' – '),
          Archivé: yesNo(data.meta?.archived ?? null),
        },
      }),
    ),
  });
}

// --- OPQIBI ------------------------------------------------------------------------------------

const opqibiQualificationSchema = z.object({ nom: text, code_qualification: text, rge: flag });

function opqibiQualifications(items: readonly z.output<typeof opqibiQualificationSchema>[]): string | null {
  return lines(items.map((q) => joinParts([q.code_qualification, q.nom, q.rge ? '(RGE)' : null])));
}

const opqibiAnswerSchema = z.object({
  data: z.object({
    numero_certificat: text,
    url: text,
    date_delivrance_certificat: isoDate,
    duree_validite_certificat: text,
    assurances: text,
    qualifications: list(opqibiQualificationSchema),
    date_validite_qualifications: isoDate,
    qualifications_probatoires: list(opqibiQualificationSchema),
    date_validite_qualifications_probatoires: isoDate,
  }),
});

export function normalizeOpqibi(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, opqibiAnswerSchema, payload);
  return answer({
    attestations: [
      attestation('opqibi', identifier, {
        status: 'delivered',
        issuedOn: data.date_delivrance_certificat,
        validUntil: data.date_validite_qualifications,
        // `url` is OPQIBI's web page for the certificate, not a document: shown, not downloaded
        details: {
          'Numéro de certificat': data.numero_certificat,
          'Durée de validité': data.duree_validite_certificat,
          Qualifications: opqibiQualifications(data.qualifications),
          'Qualifications probatoires': opqibiQualifications(data.qualifications_probatoires),
          'Validité des qualifications probatoires': data.date_validite_qualifications_probatoires,
          Assurances: data.assurances,
          'Fiche OPQIBI': data.url,
        },
      }),
    ],
  });
}

// --- Qualifelec --------------------------------------------------------------------------------

const codeLabelItems = list(z.object({ code: text, label: text }));

function codeLabels(items: z.output<typeof codeLabelItems>): string | null {
  const kept = items.map((i) => i.label ?? i.code).filter((v): v is string => v !== null);
  return kept.length > 0 ? kept.join(', ') : null;
}

const qualifelecInsuranceSchema = z.object({ nom: text, date_debut: isoDate, date_fin: isoDate }).nullish();

function qualifelecInsurance(value: z.output<typeof qualifelecInsuranceSchema>): string | null {
  if (!value) return null;
  const period = value.date_debut || value.date_fin ? `du ${value.date_debut ?? '?'} au ${value.date_fin ?? '?'}` : null;
  return joinParts([value.nom, period]);
}

const qualifelecAnswerSchema = z.object({
  data: z.array(
    z.object({
      data: z.object({
        document_url: text,
        numero: text,
        rge: flag,
        date_debut: isoDate,
        date_fin: isoDate,
        qualification: z
          .object({
            label: text,
            date_debut: isoDate,
            date_fin: isoDate,
            indices: codeLabelItems,
            mentions: codeLabelItems,
            domaines: codeLabelItems,
            classification: z.object({ code: text, label: text }).nullish(),
          })
          .nullish(),
        assurance_decennale: qualifelecInsuranceSchema,
        assurance_civile: qualifelecInsuranceSchema,
      }),
    }),
  ),
});

export function normalizeQualifelec(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const parsed = parsePayload(endpoint, qualifelecAnswerSchema, payload);
  return answer({
    attestations: parsed.data.map(({ data }) => {
      const q = data.qualification;
      return attestation('qualifelec', identifier, {
        status: 'delivered',
        validFrom: data.date_debut,
        validUntil: data.date_fin,
        documentUrl: data.document_url,
        details: {
          'Numéro de certificat': data.numero,
          Qualification: q?.label ?? null,
          'Validité de la qualification': q && (q.date_debut || q.date_fin) ? `du ${q.date_debut ?? '?'} au ${q.date_fin ?? '?'}` : null,
          RGE: yesNo(data.rge),
          Indices: q ? codeLabels(q.indices) : null,
          Mentions: q ? codeLabels(q.mentions) : null,
          Domaines: q ? codeLabels(q.domaines) : null,
          Classification: q?.classification?.label ?? null,
          'Assurance décennale': qualifelecInsurance(data.assurance_decennale),
          'Assurance responsabilité civile': qualifelecInsurance(data.assurance_civile),
        },
      });
    }),
  });
}

// --- Qualiopi & France compétences (CARIF-OREF) ------------------------------------------------

const QUALIOPI_ACTIONS = {
  action_formation: 'Actions de formation',
  bilan_competences: 'Bilans de compétences',
  validation_acquis_experience: 'Validation des acquis de l’expérience',
  apprentissage: 'Actions de formation par apprentissage',
} as const;

const specialiteSchema = z.object({ code: text, libelle: text }).nullish();

const qualiopiAnswerSchema = z.object({
  data: z.object({
    code_uai: text,
    declarations_activites_etablissement: list(
      z.object({
        numero_de_declaration: text,
        actif: flag,
        date_derniere_declaration: isoDate,
        date_debut_exercice: isoDate,
        date_fin_exercice: isoDate,
        certification_qualiopi: z
          .object({
            action_formation: flag,
            bilan_competences: flag,
            validation_acquis_experience: flag,
            apprentissage: flag,
            obtention_via_unite_legale: flag,
          })
          .nullish(),
        specialites: z
          .object({ specialite_1: specialiteSchema, specialite_2: specialiteSchema, specialite_3: specialiteSchema })
          .nullish(),
      }),
    ),
    habilitations_france_competence: list(
      z.object({ code: text, actif: flag, date_fin_enregistrement: isoDate }),
    ),
  }),
});

export function normalizeQualiopi(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, qualiopiAnswerSchema, payload);
  const attestations: AttestationRecord[] = data.declarations_activites_etablissement.map((declaration) => {
    const q = declaration.certification_qualiopi;
    const actions = q
      ? (Object.keys(QUALIOPI_ACTIONS) as (keyof typeof QUALIOPI_ACTIONS)[]).filter((key) => q[key] === true).map((key) => QUALIOPI_ACTIONS[key])
      : [];
    // certified for at least one kind of action, on an active declaration; otherwise the answer
    // does not say the organisation is certified, which is not a refusal either
    const certified = actions.length > 0 && declaration.actif !== false;
    const specialites = declaration.specialites
      ? [declaration.specialites.specialite_1, declaration.specialites.specialite_2, declaration.specialites.specialite_3]
          .map((s) => s?.libelle ?? null)
          .filter((s): s is string => s !== null)
      : [];
    return attestation('qualiopi', identifier, {
      status: certified ? 'delivered' : 'unknown',
      statusLabel: certified ? 'Certifié Qualiopi' : 'Certification Qualiopi non indiquée',
      details: {
        'Numéro de déclaration d’activité': declaration.numero_de_declaration,
        'Déclaration active': yesNo(declaration.actif),
        'Dernière déclaration': declaration.date_derniere_declaration,
        Exercice:
          declaration.date_debut_exercice || declaration.date_fin_exercice
            ? `du ${declaration.date_debut_exercice ?? '?'} au ${declaration.date_fin_exercice ?? '?'}`
            : null,
        'Actions certifiées Qualiopi': actions.length > 0 ? actions.join(', ') : null,
        'Certification obtenue via l’unité légale': yesNo(q?.obtention_via_unite_legale ?? null),
        Spécialités: specialites.length > 0 ? specialites.join(', ') : null,
      },
    });
  });
  const habilitations = data.habilitations_france_competence
    .map((h) =>
      joinParts([h.code, h.actif === false ? '(inactive)' : null, h.date_fin_enregistrement ? `jusqu’au ${h.date_fin_enregistrement}` : null]),
    )
    .filter((line): line is string => line !== null);
  return answer({
    attestations,
    facts: {
      uai_code: data.code_uai,
      france_competences_habilitations: habilitations.length > 0 ? habilitations.join('\n') : null,
    },
  });
}

// --- FNTP professional card --------------------------------------------------------------------

const documentAnswerSchema = z.object({ data: z.object({ document_url: text, expires_in: seconds }) });

export function normalizeFntpCartePro(endpoint: EndpointId, payload: unknown, identifier: string): NormalizedAnswer {
  const { data } = parsePayload(endpoint, documentAnswerSchema, payload);
  return answer({
    attestations: [
      attestation('fntp_carte_pro', identifier, {
        status: data.document_url !== null ? 'delivered' : 'unknown',
        documentUrl: data.document_url,
        documentUrlExpiresInSeconds: data.expires_in,
      }),
    ],
  });
}
