// A supplier as the refresh engine would leave it: a company snapshot and URSSAF attestations,
// the latest with its PDF, all obtained from the fake API through the core's own client (so the
// PDF is a real one, with text, and the calls are in the journal).
import { lookupSupplier } from '../../src-main/node/api-entreprise/supplier-lookup';
import type { AppWithFakeApi } from './app-with-fake-api';

export interface SeededSupplier {
  supplierId: number;
  name: string;
  siren: string;
  siret: string;
  documentId: number;
  securityCode: string;
}

/** A SIREN with a valid key that the fake API does not know: its lookup is a « non trouvé » error in the journal. */
export const UNKNOWN_SIREN = '552120222';

/** Needs a stored token (see AppWithFakeApi.storeToken). */
export async function seedSupplierWithDocument(app: AppWithFakeApi): Promise<SeededSupplier> {
  const core = app.harness.core;
  const company = app.api.companies.example('active', 'urssaf_ok');
  const siret = company.establishments[0]?.siret;
  if (!siret) throw new Error('the fake company has no establishment');
  const client = core.api.client();
  const result = await lookupSupplier(client, company.siren, ['insee.unite_legale', 'urssaf.attestation_vigilance']);
  const name = result.company?.name ?? 'Entreprise de test';
  const created = await core.dispatch('supplier.create', { identifier: siret, name, city: 'Annecy' });
  if (!created.ok) throw new Error(`supplier.create failed: ${created.error.message}`);
  const supplierId = (created.value as { id: number }).id;

  const urssaf = result.outcomes.find((o) => o.endpoint === 'urssaf.attestation_vigilance');
  const attestation = result.attestations.find((a) => a.kind === 'urssaf_vigilance');
  if (!urssaf?.document || !attestation) throw new Error(`no URSSAF document from the fake API: ${urssaf?.message ?? 'no outcome'}`);
  const fetchedAt = new Date().toISOString();
  const documentId = Number(
    core.db
      .prepare('INSERT INTO documents (sha256, size_bytes, media_type, stored_path, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(urssaf.document.sha256, urssaf.document.sizeBytes, urssaf.document.mediaType, urssaf.document.storedPath, fetchedAt).lastInsertRowid,
  );
  const insert = core.db.prepare(
    `INSERT INTO attestations (siren, kind, endpoint, status, valid_from, valid_until, issued_on, security_code, document_id, fetched_at, raw_json)
     VALUES (?, 'urssaf_vigilance', 'urssaf.attestation_vigilance', ?, ?, ?, ?, ?, ?, ?, '{}')`,
  );
  // an older one, expired: the history
  insert.run(company.siren, 'delivered', '2024-05-01', '2024-10-31', '2024-05-02', 'ANCIEN123', null, '2024-05-02T02:00:00.000Z');
  const securityCode = attestation.securityCode ?? 'CODE1234';
  insert.run(
    company.siren,
    attestation.status,
    attestation.validFrom,
    attestation.validUntil,
    attestation.issuedOn,
    securityCode,
    documentId,
    fetchedAt,
  );
  if (result.company) {
    core.db
      .prepare(
        `INSERT INTO company_snapshots (siren, endpoint, fetched_at, name, legal_form, activity_code, administrative_status, ceased_on, diffusion_status, raw_json)
         VALUES (?, 'insee.unite_legale', ?, ?, ?, ?, ?, ?, ?, '{}')`,
      )
      .run(
        company.siren,
        fetchedAt,
        result.company.name,
        result.company.legalForm?.label ?? null,
        result.company.activity?.code ?? null,
        result.company.administrativeStatus,
        result.company.ceasedOn,
        result.company.diffusion,
      );
  }
  // one call that fails, for the journal's « en erreur » filter
  await lookupSupplier(client, UNKNOWN_SIREN, ['insee.unite_legale']);
  return { supplierId, name, siren: company.siren, siret, documentId, securityCode };
}
