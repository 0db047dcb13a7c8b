// Writes what a refresh call brought into the register: company and establishment snapshots,
// attestations with their document row, the per-call status behind "données au JJ/MM/AAAA", and
// the changes found by comparing with the latest data already known. Every method runs inside the
// caller's transaction (the refresh store commits them with the job's state), so the data, the job
// and the journal lines are all there or none is.
//
// Nothing is ever deleted or overwritten: a failure, a 404 or a refusal adds a status, never
// removes the last good snapshot, attestation or document.
import type { NormalizedAnswer } from '../../common/company-records';
import type { StoredDocumentRef } from '../api-entreprise/api-client';
import type { EndpointId } from '../api-entreprise/endpoint-catalogue';
import type { VigieDatabase } from '../db/database';
import {
  addressLine,
  attestationChanges,
  type AttestationBefore,
  type CompanyBefore,
  companyChanges,
  type DetectedChange,
  type EstablishmentBefore,
  establishmentChanges,
} from './change-detector';
import { isoOf, parisDay } from './french-format';

/** Which call the data answers, and for which job. */
export interface WriteContext {
  runId: number;
  jobId: number | null;
  supplierId: number;
  endpoint: EndpointId;
  identifier: string;
  at: number;
}

/** What the writer needs of an ApiCallResult. */
export interface CallData {
  payload: unknown;
  normalized: NormalizedAnswer | null;
  document: StoredDocumentRef | null;
  receivedAt: number;
}

/** A final answer that carries no data: "non trouvé", "non habilité", protected. */
export type FinalOutcome = 'not_found' | 'not_authorized' | 'legally_unavailable';

export class RegisterWriter {
  private readonly insertDocument;
  private readonly documentId;
  private readonly insertCompany;
  private readonly insertEstablishment;
  private readonly insertAttestation;
  private readonly latestCompany;
  private readonly latestEstablishment;
  private readonly latestHeadOffice;
  private readonly latestAttestation;
  private readonly upsertSuccess;
  private readonly upsertFinal;
  private readonly upsertFailure;
  private readonly changeExists;
  private readonly insertChange;

  constructor(private readonly db: VigieDatabase) {
    this.insertDocument = db.prepare(
      `INSERT OR IGNORE INTO documents (sha256, size_bytes, media_type, stored_path, created_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.documentId = db.prepare<[string], { id: number }>('SELECT id FROM documents WHERE sha256 = ?');
    this.insertCompany = db.prepare(
      `INSERT INTO company_snapshots (siren, endpoint, fetched_at, name, legal_form, activity_code, administrative_status, ceased_on,
         diffusion_status, head_office_siret, raw_json, refresh_job_id)
       VALUES (@siren, @endpoint, @fetchedAt, @name, @legalForm, @activityCode, @status, @ceasedOn, @diffusion, @headOffice, @raw, @jobId)`,
    );
    this.insertEstablishment = db.prepare(
      `INSERT INTO establishment_snapshots (siret, siren, endpoint, fetched_at, is_headquarters, name, address, postal_code, city,
         administrative_status, closed_on, diffusion_status, raw_json, refresh_job_id)
       VALUES (@siret, @siren, @endpoint, @fetchedAt, @headOffice, @name, @address, @postalCode, @city, @status, @closedOn, @diffusion, @raw, @jobId)`,
    );
    this.insertAttestation = db.prepare(
      `INSERT INTO attestations (siren, siret, kind, endpoint, status, valid_from, valid_until, issued_on, period_analyzed, security_code,
         document_id, fetched_at, raw_json, refresh_job_id)
       VALUES (@siren, @siret, @kind, @endpoint, @status, @validFrom, @validUntil, @issuedOn, @periodAnalyzed, @securityCode,
         @documentId, @fetchedAt, @raw, @jobId)`,
    );
    this.latestCompany = db.prepare<[string], { name: string | null; administrative_status: string | null; ceased_on: string | null; head_office_siret: string | null }>(
      'SELECT name, administrative_status, ceased_on, head_office_siret FROM company_snapshots WHERE siren = ? ORDER BY id DESC LIMIT 1',
    );
    type EstablishmentRow = { siret: string; address: string | null; postal_code: string | null; city: string | null; administrative_status: string | null };
    this.latestEstablishment = db.prepare<[string], EstablishmentRow>(
      'SELECT siret, address, postal_code, city, administrative_status FROM establishment_snapshots WHERE siret = ? ORDER BY id DESC LIMIT 1',
    );
    this.latestHeadOffice = db.prepare<[string], EstablishmentRow>(
      `SELECT siret, address, postal_code, city, administrative_status FROM establishment_snapshots
       WHERE siren = ? AND is_headquarters = 1 ORDER BY id DESC LIMIT 1`,
    );
    this.latestAttestation = db.prepare<[string, string, string | null], { status: string; valid_until: string | null; period_analyzed: string | null }>(
      `SELECT status, valid_until, period_analyzed FROM attestations
       WHERE endpoint = ? AND siren = ? AND siret IS ? ORDER BY id DESC LIMIT 1`,
    );
    this.upsertSuccess = db.prepare(
      `INSERT INTO refresh_status (endpoint, identifier, last_checked_at, last_success_at, last_outcome, last_message, consecutive_failures, updated_at)
       VALUES (@endpoint, @identifier, @at, @at, 'ok', NULL, 0, @at)
       ON CONFLICT (endpoint, identifier) DO UPDATE SET last_checked_at = @at, last_success_at = @at, last_outcome = 'ok',
         last_message = NULL, consecutive_failures = 0, updated_at = @at`,
    );
    this.upsertFinal = db.prepare(
      `INSERT INTO refresh_status (endpoint, identifier, last_checked_at, last_outcome, last_message, consecutive_failures, updated_at)
       VALUES (@endpoint, @identifier, @at, @outcome, @message, 0, @at)
       ON CONFLICT (endpoint, identifier) DO UPDATE SET last_checked_at = @at, last_outcome = @outcome, last_message = @message,
         consecutive_failures = 0, updated_at = @at`,
    );
    this.upsertFailure = db.prepare(
      `INSERT INTO refresh_status (endpoint, identifier, last_error_kind, last_error_message, last_error_at, consecutive_failures, updated_at)
       VALUES (@endpoint, @identifier, @kind, @message, @at, 1, @at)
       ON CONFLICT (endpoint, identifier) DO UPDATE SET last_error_kind = @kind, last_error_message = @message, last_error_at = @at,
         consecutive_failures = consecutive_failures + 1, updated_at = @at`,
    );
    this.changeExists = db.prepare<[number, string, string, string | null], { found: number }>(
      'SELECT 1 AS found FROM refresh_changes WHERE run_id = ? AND siren = ? AND kind = ? AND after_value IS ? LIMIT 1',
    );
    this.insertChange = db.prepare(
      `INSERT INTO refresh_changes (run_id, job_id, supplier_id, siren, siret, kind, description, before_value, after_value, detected_at)
       VALUES (@runId, @jobId, @supplierId, @siren, @siret, @kind, @description, @before, @after, @at)`,
    );
  }

  /** Stores an answer with data; returns the changes it revealed (already recorded for the run). */
  writeSuccess(context: WriteContext, data: CallData): DetectedChange[] {
    const fetchedAt = isoOf(data.receivedAt);
    const raw = JSON.stringify(data.payload ?? null);
    const changes: DetectedChange[] = [];
    const normalized = data.normalized;
    const base = { endpoint: context.endpoint, fetchedAt, raw, jobId: context.jobId };
    if (normalized?.company) {
      const company = normalized.company;
      const row = this.latestCompany.get(company.siren);
      const before: CompanyBefore | null = row
        ? { name: row.name, administrativeStatus: row.administrative_status, ceasedOn: row.ceased_on, headOfficeSiret: row.head_office_siret }
        : null;
      changes.push(...companyChanges(before, company));
      this.insertCompany.run({
        ...base,
        siren: company.siren,
        name: company.name,
        legalForm: company.legalForm?.label ?? company.legalForm?.code ?? null,
        activityCode: company.activity?.code ?? null,
        status: company.administrativeStatus,
        ceasedOn: company.ceasedOn,
        diffusion: company.diffusion,
        headOffice: company.headOfficeSiret,
      });
    }
    if (normalized?.establishment) {
      const establishment = normalized.establishment;
      // a head-office call compares with the previous head office, which may be another SIRET
      const headOfficeCall = context.identifier.length === 9;
      const row = headOfficeCall ? this.latestHeadOffice.get(establishment.siren) : this.latestEstablishment.get(establishment.siret);
      const before: EstablishmentBefore | null = row
        ? { siret: row.siret, address: row.address, postalCode: row.postal_code, city: row.city, administrativeStatus: row.administrative_status }
        : null;
      changes.push(...establishmentChanges(before, establishment));
      const address = addressLine(establishment.address);
      this.insertEstablishment.run({
        ...base,
        siret: establishment.siret,
        siren: establishment.siren,
        headOffice: establishment.isHeadOffice === null ? null : establishment.isHeadOffice ? 1 : 0,
        name: establishment.name,
        address: address.street,
        postalCode: address.postalCode,
        city: address.city,
        status: establishment.administrativeStatus,
        closedOn: establishment.closedOn,
        diffusion: establishment.diffusion,
      });
    }
    if (normalized && normalized.attestations.length > 0) {
      const documentId = data.document ? this.documentRow(data.document, context.at) : null;
      const today = parisDay(context.at);
      for (const attestation of normalized.attestations) {
        const row = this.latestAttestation.get(context.endpoint, attestation.siren, attestation.siret);
        const before: AttestationBefore | null = row ? { status: row.status, validUntil: row.valid_until, periodAnalyzed: row.period_analyzed } : null;
        changes.push(...attestationChanges(context.endpoint, before, attestation, today));
        this.insertAttestation.run({
          ...base,
          siren: attestation.siren,
          siret: attestation.siret,
          kind: attestation.kind,
          status: attestation.status,
          validFrom: attestation.validFrom,
          validUntil: attestation.validUntil,
          issuedOn: attestation.issuedOn,
          periodAnalyzed: attestation.periodAnalyzed,
          securityCode: attestation.securityCode,
          documentId,
        });
      }
    }
    this.upsertSuccess.run({ endpoint: context.endpoint, identifier: context.identifier, at: isoOf(context.at) });
    return this.recordChanges(context, changes);
  }

  /** "Non trouvé", "non habilité", protected: checked, nothing learnt, the last good data stays. */
  writeFinalAnswer(context: WriteContext, outcome: FinalOutcome, message: string): void {
    this.upsertFinal.run({ endpoint: context.endpoint, identifier: context.identifier, at: isoOf(context.at), outcome, message });
  }

  /** A failure: the status shows it (in French) beside the last good data, which stays. */
  writeFailure(context: Pick<WriteContext, 'endpoint' | 'identifier' | 'at'>, kind: string, message: string): void {
    this.upsertFailure.run({ endpoint: context.endpoint, identifier: context.identifier, at: isoOf(context.at), kind, message });
  }

  /** Records changes for the run, once each: two calls about the same company may both see it ceased. */
  recordChanges(
    context: Pick<WriteContext, 'runId' | 'jobId' | 'at'> & { supplierId: number | null },
    changes: readonly DetectedChange[],
  ): DetectedChange[] {
    const recorded: DetectedChange[] = [];
    for (const change of changes) {
      if (this.changeExists.get(context.runId, change.siren, change.kind, change.after)) continue;
      this.insertChange.run({
        runId: context.runId,
        jobId: context.jobId,
        supplierId: context.supplierId,
        siren: change.siren,
        siret: change.siret,
        kind: change.kind,
        description: change.description,
        before: change.before,
        after: change.after,
        at: isoOf(context.at),
      });
      recorded.push(change);
    }
    return recorded;
  }

  /** The documents row of a stored file (content-addressed: the same bytes are one row). */
  private documentRow(document: StoredDocumentRef, at: number): number {
    this.insertDocument.run(document.sha256, document.sizeBytes, document.mediaType, document.storedPath, isoOf(at));
    const row = this.documentId.get(document.sha256);
    if (!row) throw new Error('document row missing right after its insertion');
    return row.id;
  }
}
