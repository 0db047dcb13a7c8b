// One builder per catalogue endpoint (except /privileges, answered from the token itself).
import type { EndpointId } from '../../api-entreprise/endpoint-catalogue';
import { associationAnswer } from './association-payloads';
import {
  cibtpAttestation,
  cnetpAttestation,
  dgfipAttestation,
  fntpCard,
  probtpAttestation,
  qualibatCertification,
  urssafAttestation,
} from './attestation-payloads';
import {
  msaCompliance,
  opqibiCertification,
  probtpCompliance,
  qualifelecCertificates,
  qualiopiCertifications,
  rgeCertificates,
} from './certification-payloads';
import { etablissement, uniteLegale } from './insee-payloads';
import { headOffice, ok, type PayloadContext, type PayloadResult, type Subject } from './payload-context';
import { companyOfficers, rcsExtract, rneExtract, vatAnswer } from './registry-payloads';

export type PayloadBuilder = (ctx: PayloadContext, subject: Subject) => PayloadResult;

function establishmentOf(subject: Subject) {
  return subject.establishment ?? headOffice(subject.company);
}

export const PAYLOAD_BUILDERS: Record<Exclude<EndpointId, 'privileges'>, PayloadBuilder> = {
  'insee.unite_legale': (ctx, s) => ok(uniteLegale(ctx, s.company, false)),
  'insee.unite_legale_diffusible': (ctx, s) => ok(uniteLegale(ctx, s.company, true)),
  'insee.etablissement': (ctx, s) => ok(etablissement(ctx, s.company, establishmentOf(s), false)),
  'insee.etablissement_diffusible': (ctx, s) => ok(etablissement(ctx, s.company, establishmentOf(s), true)),
  'insee.siege_social': (ctx, s) => ok(etablissement(ctx, s.company, headOffice(s.company), false)),
  'insee.siege_social_diffusible': (ctx, s) => ok(etablissement(ctx, s.company, headOffice(s.company), true)),
  'urssaf.attestation_vigilance': urssafAttestation,
  'dgfip.attestation_fiscale': dgfipAttestation,
  'infogreffe.extrait_rcs': rcsExtract,
  'infogreffe.mandataires_sociaux': companyOfficers,
  'inpi.extrait_rne': rneExtract,
  'qualibat.certification': qualibatCertification,
  'ademe.certification_rge': rgeCertificates,
  'opqibi.certification': opqibiCertification,
  'qualifelec.certificats': qualifelecCertificates,
  'carif_oref.qualiopi': qualiopiCertifications,
  'cnetp.attestation': cnetpAttestation,
  'cibtp.attestation': cibtpAttestation,
  'probtp.attestation': probtpAttestation,
  'probtp.conformite': probtpCompliance,
  'msa.conformite': msaCompliance,
  'fntp.carte_professionnelle': fntpCard,
  'djepva.association': associationAnswer,
  'vies.numero_tva': vatAnswer,
};
