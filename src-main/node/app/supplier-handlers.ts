import { basename } from 'node:path';
import { checkIdentifier } from '../../common/identifiers';
import type { ApiService } from './api-service';
import { ApiEntrepriseError } from '../api-entreprise/api-error';
import { ENDPOINTS, type EndpointId } from '../api-entreprise/endpoint-catalogue';
import { lookupSupplier } from '../api-entreprise/supplier-lookup';
import type { Clock } from '../clock';
import type { VigieDatabase } from '../db/database';
import { type DocumentStore } from '../documents/document-store';
import type { IpcHandlers } from '../ipc/ipc-dispatcher';
import { exportJournalCsv, searchJournal } from '../journal/journal-query';
import type { Logger } from '../logger';
import { readSupplierDetail } from '../register/supplier-detail';
import { type SupplierRepository } from '../register/supplier-repository';
import type { TokenVault } from '../token/token-vault';
import { UserFacingError } from '../user-facing-error';
import type { FileDialogs } from './file-dialogs';
import { asFileError } from './file-errors';

type Channels =
  | 'supplier.detail'
  | 'supplier.update'
  | 'supplier.create'
  | 'supplier.lookup'
  | 'documents.read'
  | 'documents.saveAs'
  | 'journal.search'
  | 'journal.export';

export interface SupplierHandlerDeps {
  db: VigieDatabase;
  repository: SupplierRepository;
  api: ApiService;
  vault: TokenVault;
  documents: DocumentStore;
  dialogs: FileDialogs;
  clock: Clock;
  logger: Logger;
  /** "données au JJ/MM/AAAA" and the last error, from the refresh engine once it runs. */
  freshness?: (supplierId: number) => { dataAsOf: string | null; lastError: string | null } | null;
}

const PREFILL_ENDPOINTS: EndpointId[] = ['insee.unite_legale', 'insee.etablissement'];

export function supplierHandlers(deps: SupplierHandlerDeps): Pick<IpcHandlers, Channels> {
  const { db, repository, documents, dialogs, clock } = deps;
  const today = () => new Date(clock.now()).toISOString().slice(0, 10);

  const documentRow = (id: number) => {
    const row = db.prepare('SELECT stored_path, media_type, sha256 FROM documents WHERE id = ?').get(id) as
      | { stored_path: string; media_type: string; sha256: string }
      | undefined;
    if (!row) throw new UserFacingError('not-found', 'Ce document n’est plus disponible.');
    return row;
  };

  const documentFileName = (id: number): string => {
    const info = db
      .prepare(
        `SELECT a.kind, a.fetched_at, s.name FROM attestations a LEFT JOIN suppliers s ON s.siren = a.siren
         WHERE a.document_id = ? ORDER BY a.id DESC LIMIT 1`,
      )
      .get(id) as { kind: string; fetched_at: string; name: string | null } | undefined;
    const base = info ? `${info.kind}-${info.name ?? ''}-${info.fetched_at.slice(0, 10)}` : `document-${id}`;
    // a name made of letters, digits and dashes only: nothing path-like reaches the save dialog
    return `${base.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 100)}.pdf`;
  };

  return {
    'supplier.detail': ({ id }) => {
      const detail = readSupplierDetail(db, id, today());
      if (!detail) return null;
      return { ...detail, freshness: deps.freshness?.(id) ?? null };
    },
    'supplier.update': ({ id, ...patch }) => {
      const updated = repository.update(id, patch);
      if (!updated) throw new UserFacingError('not-found', 'Ce fournisseur n’existe plus dans le registre.');
      return updated;
    },
    'supplier.create': ({ identifier, ...fields }) => {
      const check = checkIdentifier(identifier);
      if (!check.ok) throw new UserFacingError('bad-input', check.message);
      const siret = check.kind === 'siret' ? check.value : null;
      const existing = repository.findSame(check.siren, siret);
      if (existing) {
        throw new UserFacingError('bad-input', `Ce fournisseur est déjà dans le registre (« ${existing.name || check.value} »).`);
      }
      repository.upsert({ siren: check.siren, siret, ...fields, name: fields.name?.trim() ?? '' });
      const created = repository.findSame(check.siren, siret);
      if (!created) throw new Error('supplier not found right after its creation');
      return created;
    },
    'supplier.lookup': async ({ identifier }) => {
      const check = checkIdentifier(identifier);
      if (!check.ok) throw new UserFacingError('bad-input', check.message);
      const allowed = deps.vault.privileges();
      const endpoints = PREFILL_ENDPOINTS.filter((e) => allowed === null || allowed.has(ENDPOINTS[e].scope));
      if (endpoints.length === 0) {
        throw new UserFacingError('bad-input', 'Le jeton n’est pas habilité aux données INSEE : saisissez les informations à la main.');
      }
      try {
        const result = await lookupSupplier(deps.api.client(), check.value, endpoints);
        const address = result.establishment?.address ?? null;
        return {
          siren: result.siren,
          siret: result.siret ?? result.company?.headOfficeSiret ?? null,
          name: result.company?.name ?? result.establishment?.name ?? null,
          address: address?.street ?? null,
          postalCode: address?.postalCode ?? null,
          city: address?.city ?? null,
          ceased: result.company?.administrativeStatus === 'ceased',
          diffusion: result.company?.diffusion ?? null,
          problems: result.outcomes.filter((o) => !o.ok).map((o) => `${ENDPOINTS[o.endpoint].label} : ${o.message ?? ''}`),
        };
      } catch (error) {
        if (error instanceof ApiEntrepriseError) throw new UserFacingError('bad-input', error.userMessage, error.message);
        throw error;
      }
    },
    'documents.read': async ({ id }) => {
      const row = documentRow(id);
      const bytes = await documents.read(row.stored_path);
      return { fileName: documentFileName(id), mediaType: row.media_type, base64: Buffer.from(bytes).toString('base64') };
    },
    'documents.saveAs': async ({ id }) => {
      const row = documentRow(id);
      if (!dialogs.chooseDocumentSavePath) throw new UserFacingError('bad-input', 'L’enregistrement de documents n’est pas disponible ici.');
      const target = await dialogs.chooseDocumentSavePath(documentFileName(id));
      if (target === null) return null;
      try {
        const { writeFile, rename } = await import('node:fs/promises');
        const bytes = await documents.read(row.stored_path);
        await writeFile(`${target}.part`, bytes);
        await rename(`${target}.part`, target);
        return { fileName: basename(target), rows: 1 };
      } catch (error) {
        throw asFileError(error, target);
      }
    },
    'journal.search': (query) => searchJournal(db, query),
    'journal.export': async (query) => {
      const target = await dialogs.chooseCsvExportPath(`journal-des-appels-${today()}.csv`);
      if (target === null) return null;
      try {
        const rows = await exportJournalCsv(db, target, query);
        deps.logger.info('journal export written', { file: basename(target), rows });
        return { fileName: basename(target), rows };
      } catch (error) {
        throw asFileError(error, target);
      }
    },
  };
}
