// The one contract between the renderer and the main process. Every channel names its
// request and response schemas; the main process parses every request with them, the
// renderer's types are inferred from them. Nothing else crosses the bridge.
import { z } from 'zod';
import type { IpcChannel } from './ipc-channels';
import { catchUpModeSchema, refreshSettingsPageSchema, refreshSettingsSchema } from './refresh-settings';

export { IPC_CHANNELS, IPC_INVOKE_CHANNEL, isIpcChannel, type IpcChannel } from './ipc-channels';

const isoDateTime = z.string().min(1);

export const supplierSchema = z.object({
  id: z.number().int().positive(),
  siren: z.string().regex(/^\d{9}$/),
  siret: z.string().regex(/^\d{14}$/).nullable(),
  name: z.string(),
  accountingCode: z.string().nullable(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  active: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Supplier = z.infer<typeof supplierSchema>;

export const supplierSortSchema = z.enum(['name', 'siren', 'city', 'accountingCode', 'updatedAt']);
export type SupplierSort = z.infer<typeof supplierSortSchema>;

export const supplierQuerySchema = z.object({
  text: z.string().max(200).default(''),
  activity: z.enum(['all', 'active', 'inactive']).default('all'),
  tag: z.string().max(100).optional(),
  /** Only suppliers in this state of the obligation de vigilance. */
  compliance: z.enum(['a_jour', 'expire_bientot', 'expiree', 'refus', 'inconnue', 'non_habilite']).optional(),
  sort: supplierSortSchema.default('name'),
  descending: z.boolean().default(false),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type SupplierQuery = z.input<typeof supplierQuerySchema>;

export const supplierPageSchema = z.object({
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
  rows: z.array(supplierSchema),
});
export type SupplierPage = z.infer<typeof supplierPageSchema>;

/** Fields of a supplier that a CSV column can fill. */
export const importFieldSchema = z.enum([
  'siret',
  'siren',
  'name',
  'accountingCode',
  'address',
  'postalCode',
  'city',
  'tags',
  'notes',
  'active',
]);
export type ImportField = z.infer<typeof importFieldSchema>;

/** column index (as a string key) -> field, or absent when the column is ignored. */
export const columnMappingSchema = z.record(z.string().regex(/^\d+$/), importFieldSchema);
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const rejectedRowSchema = z.object({
  line: z.number().int().positive(),
  value: z.string(),
  reason: z.string(),
});
export type RejectedRow = z.infer<typeof rejectedRowSchema>;

export const importReportSchema = z.object({
  fileName: z.string(),
  dryRun: z.boolean(),
  encoding: z.enum(['utf-8', 'windows-1252', 'mixed', 'utf-16']),
  delimiter: z.enum([';', ',', '\t']),
  hasHeader: z.boolean(),
  headers: z.array(z.string()),
  mapping: columnMappingSchema,
  preview: z.array(z.array(z.string())),
  totalRows: z.number().int().min(0),
  inserted: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  rejected: z.array(rejectedRowSchema),
  warnings: z.array(rejectedRowSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const exportReportSchema = z.object({
  fileName: z.string(),
  rows: z.number().int().min(0),
});
export type ExportReport = z.infer<typeof exportReportSchema>;

export const registerStatsSchema = z.object({
  suppliers: z.number().int().min(0),
  active: z.number().int().min(0),
  tags: z.array(z.string()),
});
export type RegisterStats = z.infer<typeof registerStatsSchema>;

export const tokenStateSchema = z.enum(['absent', 'valide', 'expire_bientot', 'expire', 'revoque', 'refuse']);
export type TokenState = z.infer<typeof tokenStateSchema>;

/** Everything the renderer may know of the token: no part of the token itself. */
export const tokenSummarySchema = z.object({
  state: tokenStateSchema,
  title: z.string().nullable(),
  shortId: z.string().max(8).nullable(),
  issuedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  daysLeft: z.number().int().min(0).nullable(),
  lifetimeUsed: z.number().min(0).max(1).nullable(),
  endpoints: z.array(z.object({ id: z.string(), label: z.string(), allowed: z.boolean() })),
  lastCheckAt: z.string().nullable(),
  protection: z.enum(['os', 'weak']).nullable(),
  message: z.string(),
});
export type TokenSummary = z.infer<typeof tokenSummarySchema>;

export const tokenSubmitResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('stored'), summary: tokenSummarySchema }),
  z.object({ status: z.literal('needs-consent'), message: z.string() }),
  z.object({ status: z.literal('refused'), message: z.string() }),
]);
export type TokenSubmitResult = z.infer<typeof tokenSubmitResultSchema>;

export const tokenReminderSchema = z.object({
  thresholdDays: z.number().int().min(0),
  daysLeft: z.number().int().min(0),
  title: z.string(),
  message: z.string(),
});
export type TokenReminder = z.infer<typeof tokenReminderSchema>;

export const appSettingsSchema = z.object({
  communeSiret: z.string(),
  defaultContext: z.string(),
  defaultObject: z.string(),
  apiEnvironment: z.enum(['production', 'staging', 'local']),
  localApiUrl: z.string(),
  notifications: z.boolean(),
  keepRunningInTray: z.boolean(),
  openAtLogin: z.boolean(),
});
export type AppSettingsView = z.infer<typeof appSettingsSchema>;

export const complianceStateSchema = z.enum(['a_jour', 'expire_bientot', 'expiree', 'refus', 'inconnue', 'non_habilite']);
export type ComplianceStateView = z.infer<typeof complianceStateSchema>;

export const changeSchema = z.object({
  kind: z.string(),
  supplierId: z.number().int().nullable(),
  supplierName: z.string(),
  /** French. */
  description: z.string(),
});
export type ChangeView = z.infer<typeof changeSchema>;

export const runOutcomeSchema = z.object({
  id: z.number().int(),
  state: z.string(),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** French one-line summary. */
  summary: z.string(),
});
export type RunOutcomeView = z.infer<typeof runOutcomeSchema>;

export const dashboardSummarySchema = z.object({
  suppliers: z.number().int().min(0),
  activeSuppliers: z.number().int().min(0),
  compliance: z.record(complianceStateSchema, z.number().int().min(0)),
  token: tokenSummarySchema,
  reminder: tokenReminderSchema.nullable(),
  lastRun: runOutcomeSchema.nullable(),
  nextRunAt: z.string().nullable(),
  changes: z.array(changeSchema),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;

export const supplierDetailSchema = z.object({
  supplier: supplierSchema,
  company: z
    .object({
      name: z.string().nullable(),
      legalForm: z.string().nullable(),
      activityCode: z.string().nullable(),
      administrativeStatus: z.string().nullable(),
      ceasedOn: z.string().nullable(),
      diffusion: z.string().nullable(),
      fetchedAt: z.string(),
    })
    .nullable(),
  establishments: z.array(
    z.object({
      siret: z.string(),
      name: z.string().nullable(),
      isHeadOffice: z.boolean(),
      street: z.string().nullable(),
      postalCode: z.string().nullable(),
      city: z.string().nullable(),
      administrativeStatus: z.string().nullable(),
      closedOn: z.string().nullable(),
      fetchedAt: z.string(),
    }),
  ),
  attestations: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      label: z.string(),
      /** The newest of its kind; older ones are the history. */
      latest: z.boolean(),
      status: z.string(),
      state: z.enum(['a_jour', 'expire_bientot', 'expiree', 'refus', 'inconnue']),
      validFrom: z.string().nullable(),
      validUntil: z.string().nullable(),
      issuedOn: z.string().nullable(),
      periodAnalyzed: z.string().nullable(),
      securityCode: z.string().nullable(),
      document: z.object({ id: z.number().int(), sizeBytes: z.number().int(), mediaType: z.string() }).nullable(),
      fetchedAt: z.string(),
    }),
  ),
  calls: z.array(
    z.object({
      at: z.string(),
      endpoint: z.string(),
      label: z.string(),
      outcome: z.string(),
      httpStatus: z.number().int().nullable(),
      durationMs: z.number().int().nullable(),
      context: z.string(),
      object: z.string(),
    }),
  ),
  /** "données au JJ/MM/AAAA" and the last error, in French. */
  freshness: z.object({ dataAsOf: z.string().nullable(), lastError: z.string().nullable() }).nullable(),
});
export type SupplierDetail = z.infer<typeof supplierDetailSchema>;

export const journalQuerySchema = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  supplierId: z.number().int().positive().optional(),
  endpoint: z.string().max(80).optional(),
  outcome: z.enum(['all', 'ok', 'error']).default('all'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type JournalQuery = z.input<typeof journalQuerySchema>;

export const journalPageSchema = z.object({
  total: z.number().int().min(0),
  rows: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      endpoint: z.string(),
      endpointLabel: z.string(),
      supplierId: z.number().int().nullable(),
      supplierName: z.string().nullable(),
      identifier: z.string().nullable(),
      context: z.string(),
      object: z.string(),
      httpStatus: z.number().int().nullable(),
      outcome: z.string(),
      errorCode: z.string().nullable(),
      durationMs: z.number().int().nullable(),
    }),
  ),
});
export type JournalPage = z.infer<typeof journalPageSchema>;

export const documentBytesSchema = z.object({
  fileName: z.string(),
  mediaType: z.string(),
  /** base64: crosses Electron IPC and the test harness alike. */
  base64: z.string(),
});
export type DocumentBytes = z.infer<typeof documentBytesSchema>;

const supplierFieldsSchema = z.object({
  name: z.string().max(300).optional(),
  accountingCode: z.string().max(100).optional(),
  address: z.string().max(300).optional(),
  postalCode: z.string().max(20).optional(),
  city: z.string().max(150).optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
  notes: z.string().max(5_000).optional(),
  active: z.boolean().optional(),
});

export const supplierPrefillSchema = z.object({
  siren: z.string(),
  siret: z.string().nullable(),
  name: z.string().nullable(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  ceased: z.boolean(),
  diffusion: z.string().nullable(),
  /** French, one line per source that failed (the form stays editable whatever happened). */
  problems: z.array(z.string()),
});
export type SupplierPrefill = z.infer<typeof supplierPrefillSchema>;

export const refreshProgressSchema = z.object({
  runId: z.number().int(),
  state: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  etaMs: z.number().nullable(),
  elapsedMs: z.number(),
  perPool: z.array(
    z.object({
      pool: z.string(),
      label: z.string(),
      total: z.number().int(),
      done: z.number().int(),
      failed: z.number().int(),
      ratePerMinute: z.number(),
      limitPerMinute: z.number(),
      blockedUntil: z.string().nullable(),
    }),
  ),
  /** French, the latest first. */
  errors: z.array(z.object({ supplierId: z.number().int(), endpoint: z.string(), message: z.string(), at: z.string() })),
});
export type RefreshProgressView = z.infer<typeof refreshProgressSchema>;

export const refreshStatusSchema = z.object({
  running: z.boolean(),
  paused: z.boolean(),
  progress: refreshProgressSchema.nullable(),
  lastRun: runOutcomeSchema.nullable(),
  changes: z.array(changeSchema),
  nextRunAt: z.string().nullable(),
  /** The night window, local "HH:MM" times (the end may be on the next day). */
  nightWindow: z.object({ start: z.string(), end: z.string() }),
  catchUp: catchUpModeSchema,
  /** A night that passed while Vigie was closed or asleep, waiting for the user's answer. */
  pendingCatchUp: z.object({ missedNight: z.string(), windowStart: z.string() }).nullable(),
  /** French, when an action was refused (no token, settings incomplete). */
  message: z.string().nullable(),
});
export type RefreshStatus = z.infer<typeof refreshStatusSchema>;

export const backupViewSchema = z.object({
  fileName: z.string(),
  createdAt: z.string(),
  sizeBytes: z.number().int().min(0),
  /** French: « la sauvegarde du 28/11/2026 à 02:00 ». */
  label: z.string(),
});
export type BackupView = z.infer<typeof backupViewSchema>;

/** « À propos de Vigie »: what a support call asks first. */
export const appAboutSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataFolder: z.string(),
  logsFolder: z.string(),
  /** Electron and Chromium are null outside the desktop app (command line, tests). */
  runtime: z.object({ electron: z.string().nullable(), chrome: z.string().nullable(), node: z.string(), v8: z.string() }),
});
export type AppAbout = z.infer<typeof appAboutSchema>;

/** « Changer de poste »: what an export wrote. */
export const transferExportReportSchema = z.object({
  fileName: z.string(),
  suppliers: z.number().int().min(0),
  documents: z.number().int().min(0),
  bytes: z.number().int().min(0),
});
export type TransferExportReport = z.infer<typeof transferExportReportSchema>;

/** An archive that passed every check, waiting for the user's confirmation before it replaces the register. */
export const transferImportPreviewSchema = z.object({
  importId: z.string().regex(/^[a-f0-9]{32}$/),
  fileName: z.string(),
  /** When the archive was made (ISO). */
  createdAt: z.string(),
  /** The Vigie version that made it. */
  appVersion: z.string(),
  suppliers: z.number().int().min(0),
  documents: z.number().int().min(0),
  bytes: z.number().int().min(0),
  /** The commune's SIRET the archive carries ('' when it had none). */
  communeSiret: z.string(),
  /** Whether a token is stored on this computer (it stays; the archive never carries one). */
  tokenStoredHere: z.boolean(),
});
export type TransferImportPreview = z.infer<typeof transferImportPreviewSchema>;

/** The demonstration mode: shown or not, and whether to offer it (no token and an empty register: a first launch). */
export const demoStatusSchema = z.object({ active: z.boolean(), offered: z.boolean() });
export type DemoStatus = z.infer<typeof demoStatusSchema>;

/** « Tester la connexion »: one line per step, in order. */
export const connectionStepSchema = z.object({
  id: z.enum(['proxy', 'dns', 'tls', 'api']),
  label: z.string(),
  status: z.enum(['ok', 'echec', 'ignore']),
  /** French, with what to do when it failed. */
  detail: z.string(),
  durationMs: z.number().int().min(0),
});
export type ConnectionStepView = z.infer<typeof connectionStepSchema>;
export const connectionReportSchema = z.object({ apiUrl: z.string(), ok: z.boolean(), steps: z.array(connectionStepSchema) });
export type ConnectionReportView = z.infer<typeof connectionReportSchema>;

/** « Dossier des données »: where the data is, and the last move's outcome. */
export const dataFolderViewSchema = z.object({
  current: z.string(),
  default: z.string(),
  isDefault: z.boolean(),
  /** The folder the data moves to at the next start, when a move is scheduled. */
  pendingMove: z.string().nullable(),
  lastMoveOutcome: z
    .object({ status: z.enum(['success', 'failure']), at: z.string(), from: z.string(), to: z.string(), message: z.string() })
    .nullable(),
});
export type DataFolderView = z.infer<typeof dataFolderViewSchema>;

const importFileIdSchema = z.string().regex(/^[a-f0-9]{32}$/);

/** The contract: channel name -> request and response schemas. */
export const ipcContract = {
  'register.search': { request: supplierQuerySchema, response: supplierPageSchema },
  'register.stats': { request: z.object({}), response: registerStatsSchema },
  'register.get': {
    request: z.object({ id: z.number().int().positive() }),
    response: supplierSchema.nullable(),
  },
  'csv.chooseImportFile': {
    request: z.object({}),
    response: z.object({ fileId: importFileIdSchema, fileName: z.string() }).nullable(),
  },
  'csv.previewImport': {
    request: z.object({ fileId: importFileIdSchema, mapping: columnMappingSchema.optional() }),
    response: importReportSchema,
  },
  'csv.commitImport': {
    request: z.object({ fileId: importFileIdSchema, mapping: columnMappingSchema }),
    response: importReportSchema,
  },
  'csv.exportRegister': { request: z.object({}), response: exportReportSchema.nullable() },
  'token.summary': { request: z.object({}), response: tokenSummarySchema },
  'token.submit': {
    // the only time the token crosses the bridge: renderer to main, never back
    request: z.object({ token: z.string().max(16_384), consentToWeakProtection: z.boolean().default(false) }),
    response: tokenSubmitResultSchema,
  },
  'token.remove': { request: z.object({}), response: tokenSummarySchema },
  'token.reminder': { request: z.object({}), response: tokenReminderSchema.nullable() },
  'token.acknowledgeReminder': { request: z.object({ thresholdDays: z.number().int().min(0).max(365) }), response: z.null() },
  'token.openAccountPage': { request: z.object({}), response: z.null() },
  'settings.get': { request: z.object({}), response: appSettingsSchema },
  'settings.update': { request: appSettingsSchema.partial(), response: appSettingsSchema },
  'app.about': { request: z.object({}), response: appAboutSchema },
  // once after a restart that replaced the register (restore, transfer import): how it went
  'app.restartNotice': {
    request: z.object({}),
    response: z.object({ outcome: z.enum(['success', 'failure']), message: z.string(), at: z.string() }).nullable(),
  },
  'dashboard.summary': { request: z.object({}), response: dashboardSummarySchema },
  'supplier.detail': { request: z.object({ id: z.number().int().positive() }), response: supplierDetailSchema.nullable() },
  'supplier.update': {
    request: supplierFieldsSchema.extend({ id: z.number().int().positive() }),
    response: supplierSchema,
  },
  'supplier.create': {
    request: supplierFieldsSchema.extend({ identifier: z.string().max(40) }),
    response: supplierSchema,
  },
  'supplier.lookup': { request: z.object({ identifier: z.string().max(40) }), response: supplierPrefillSchema },
  'documents.read': { request: z.object({ id: z.number().int().positive() }), response: documentBytesSchema },
  'documents.saveAs': { request: z.object({ id: z.number().int().positive() }), response: exportReportSchema.nullable() },
  'journal.search': { request: journalQuerySchema, response: journalPageSchema },
  'journal.export': { request: journalQuerySchema.omit({ offset: true, limit: true }), response: exportReportSchema.nullable() },
  'refresh.status': { request: z.object({}), response: refreshStatusSchema },
  'refresh.start': { request: z.object({}), response: refreshStatusSchema },
  'refresh.pause': { request: z.object({}), response: refreshStatusSchema },
  'refresh.resume': { request: z.object({}), response: refreshStatusSchema },
  'refresh.cancel': { request: z.object({}), response: refreshStatusSchema },
  'refresh.history': { request: z.object({ limit: z.number().int().min(1).max(100).default(20) }), response: z.array(runOutcomeSchema) },
  'refresh.settings.get': { request: z.object({}), response: refreshSettingsPageSchema },
  'refresh.settings.update': { request: refreshSettingsSchema.partial(), response: refreshSettingsPageSchema },
  // start: true runs the missed night now; false lets it go (« Plus tard »)
  'refresh.answerCatchUp': { request: z.object({ start: z.boolean() }), response: refreshStatusSchema },
  'supplier.refreshNow': { request: z.object({ id: z.number().int().positive() }), response: refreshStatusSchema },
  'backups.list': { request: z.object({}), response: z.array(backupViewSchema) },
  'backups.create': { request: z.object({}), response: backupViewSchema },
  // the app closes the register, restores, and starts again: the current database is kept aside
  'backups.restore': { request: z.object({ fileName: z.string().regex(/^[\w.-]{1,100}$/) }), response: z.null() },
  'demo.status': { request: z.object({}), response: demoStatusSchema },
  'demo.enter': { request: z.object({}), response: demoStatusSchema },
  'demo.leave': { request: z.object({}), response: demoStatusSchema },
  // save dialog in the main process, then the whole register and its documents in one .zip
  'transfer.export': { request: z.object({}), response: transferExportReportSchema.nullable() },
  // open dialog, then every check and the extraction beside the register: nothing replaced yet
  'transfer.previewImport': { request: z.object({}), response: transferImportPreviewSchema.nullable() },
  // the register and documents are replaced (the current ones kept aside) and the app restarts
  'transfer.commitImport': { request: z.object({ importId: z.string().regex(/^[a-f0-9]{32}$/) }), response: z.null() },
  'transfer.discardImport': { request: z.object({ importId: z.string().regex(/^[a-f0-9]{32}$/) }), response: z.null() },
  'connection.test': { request: z.object({}), response: connectionReportSchema },
  'dataFolder.get': { request: z.object({}), response: dataFolderViewSchema },
  // 'choose': a folder picked in the main process's dialog; 'default': back to the default folder. null: cancelled
  'dataFolder.move': {
    request: z.object({ to: z.enum(['choose', 'default']) }),
    response: z.object({ view: dataFolderViewSchema, restarting: z.boolean() }).nullable(),
  },
  'dataFolder.cancelMove': { request: z.object({}), response: dataFolderViewSchema },
} as const satisfies Record<IpcChannel, { request: z.ZodType; response: z.ZodType }>;

export type IpcContract = typeof ipcContract;
export type IpcRequest<C extends IpcChannel> = z.input<IpcContract[C]['request']>;
export type IpcParsedRequest<C extends IpcChannel> = z.output<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<IpcContract[C]['response']>;


/** What every call answers: never a thrown Error across the bridge, always this envelope. */
export const ipcErrorSchema = z.object({
  code: z.enum(['invalid-request', 'not-found', 'bad-input', 'internal']),
  /** French, for the user. */
  message: z.string(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;

export type IpcEnvelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The API the preload exposes on `window.vigie`, and that the test harness reproduces. */
export interface VigieBridge {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcEnvelope<IpcResponse<C>>>;
}
