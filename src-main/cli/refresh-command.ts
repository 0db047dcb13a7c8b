// `npm run cli -- refresh`: one refresh run of the register with the app's refresh engine, for a
// cron line or a script. A run a crash or a kill interrupted is resumed instead of starting a new
// one; SIGINT/SIGTERM pause the run cleanly (a second signal stops at once), and the next call
// resumes it. The token is read from VIGIE_TOKEN only; the exit codes are those of the app's
// scheduled refresh (REFRESH_EXIT).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isValidSiret, normalizeIdentifier } from '../common/identifiers';
import { ApiEntrepriseError } from '../node/api-entreprise/api-error';
import { isAllowedApiBaseUrl } from '../node/api-entreprise/api-environment';
import { validateCallContext } from '../node/api-entreprise/call-context';
import { createApiClient } from '../node/api-entreprise/create-api-client';
import { normalizeAnswer } from '../node/api-entreprise/normalizers/normalize-answer';
import { REFRESH_EXIT, refreshExitCode, runOneRefresh, type OneRun } from '../node/app/headless-refresh';
import { DatabaseTooNewError, openDatabase, type VigieDatabase } from '../node/db/database';
import { type Logger, stderrLogger } from '../node/logger';
import { registerSecret } from '../node/logging/redaction';
import { redactingLogger } from '../node/logging/rotating-log';
import { AttemptJournal } from '../node/refresh/attempt-journal';
import { counted, frenchNumber } from '../node/refresh/french-format';
import { createRefreshEngine, TokenStillRefusedError } from '../node/refresh/refresh-engine';
import { RefreshLockedError } from '../node/refresh/refresh-lock';
import { DEFAULT_FRESHNESS_POLICY } from '../node/refresh/freshness-policy';
import { API_ENTREPRISE_LIMITS } from '../node/refresh/refresh-planner';
import type { RunState } from '../node/refresh/refresh-store';
import { buildRunReport, type RunReport } from '../node/refresh/run-report';
import { classifySqliteError } from '../node/safety/sqlite-file-check';
import { createPrivilegesChecker } from '../node/token/privileges-check';
import { checkTokenShape } from '../node/token/jwt-claims';

export const REFRESH_USAGE = `  npm run cli -- refresh --db BASE.sqlite3 --api-url URL --recipient SIRET [--documents DOSSIER]
                         [--context TEXTE] [--object TEXTE] [--json]

  refresh   une mise à jour du registre (comme celle de la nuit) ; reprend celle qu’un arrêt brutal a
            interrompue ; Ctrl+C la met en pause, la commande suivante la reprend. Le jeton est lu
            dans VIGIE_TOKEN. Documents dans --documents (par défaut : « documents » à côté de la base)`;

export const DEFAULT_CONTEXT = 'Gestion d’un référentiel tiers';

export interface RefreshCommandArgs {
  db?: string;
  'api-url'?: string;
  recipient?: string;
  context?: string;
  object?: string;
  documents?: string;
  json: boolean;
}

export interface RefreshCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Where SIGINT/SIGTERM come from: the process, or a test. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** What `--json` prints. */
export interface RefreshCommandResult {
  runId: number;
  /** This call continued a run left unfinished (killed, crashed, paused) instead of starting one. */
  resumed: boolean;
  /** That run's state before: 'running' after a kill, 'interrupted', 'paused', 'stopped_token'. */
  resumedFrom: RunState | null;
  /** How the run stopped this time. */
  state: string;
  exitCode: number;
  /** French: the run's one-line summary, or why it stopped. */
  message: string;
  report: RunReport | null;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runRefreshCommand(values: RefreshCommandArgs, io: RefreshCommandIo, signals: SignalSource = process): Promise<number> {
  const baseUrl = values['api-url'];
  if (!values.db || !baseUrl || !values.recipient) {
    io.err(`La commande refresh demande --db, --api-url et --recipient.\n\n${REFRESH_USAGE}`);
    return REFRESH_EXIT.usage;
  }
  if (!isAllowedApiBaseUrl(baseUrl)) {
    io.err('Adresse d’API refusée : seules API Entreprise (production ou staging, en https) et l’API locale de démonstration (127.0.0.1) sont acceptées.');
    return REFRESH_EXIT.usage;
  }
  const recipient = normalizeIdentifier(values.recipient);
  if (!isValidSiret(recipient)) {
    io.err('--recipient : ce n’est pas un SIRET valide (14 chiffres, clé de contrôle juste). Indiquez le SIRET de la commune.');
    return REFRESH_EXIT.usage;
  }
  let context;
  try {
    context = validateCallContext({ recipient, context: values.context ?? DEFAULT_CONTEXT, object: values.object ?? DEFAULT_FRESHNESS_POLICY.callObject });
  } catch (error) {
    io.err(`Erreur : ${error instanceof ApiEntrepriseError ? error.userMessage : String(error)}`);
    return REFRESH_EXIT.usage;
  }
  const dbPath = resolve(values.db);
  if (!existsSync(dbPath)) {
    io.err(`Erreur : la base ${dbPath} n’existe pas. Indiquez le registre à mettre à jour avec --db.`);
    return REFRESH_EXIT.error;
  }

  const token = process.env.VIGIE_TOKEN?.trim() ?? '';
  if (token === '') {
    io.err('Erreur : aucun jeton. Mettez le jeton API Entreprise dans la variable d’environnement VIGIE_TOKEN (jamais sur la ligne de commande).');
    return REFRESH_EXIT.error;
  }
  // from here on, the token is masked in anything logged
  registerSecret(token);
  const shape = checkTokenShape(token, Date.now());
  if (!shape.ok) {
    io.err(`Erreur : ${shape.message}`);
    return REFRESH_EXIT.error;
  }

  // warnings and errors of the engine (a pool backing off, a 429) on stderr, redacted
  const logger: Logger = redactingLogger({ info: () => {}, warn: stderrLogger.warn, error: stderrLogger.error });
  let db: VigieDatabase;
  try {
    db = openDatabase(dbPath);
  } catch (error) {
    io.err(`Erreur : ${databaseOpenFailure(error, dbPath)}`);
    return REFRESH_EXIT.error;
  }
  try {
    const attempts = new AttemptJournal(db, logger);
    const transport = (url: string, init?: RequestInit) => fetch(url, init);
    const { client, limiter, store } = createApiClient({
      baseUrl,
      transport,
      tokenProvider: () => token,
      defaults: context,
      documentsRoot: resolve(values.documents ?? join(dirname(dbPath), 'documents')),
      logger,
      overrides: { onAttempt: attempts.hook },
    });
    let privileges: string[];
    try {
      // what the token may call: the plan leaves out the rest; a refused token stops here
      privileges = await createPrivilegesChecker({ baseUrl, transport, defaults: context, limiter, normalize: normalizeAnswer, onAttempt: attempts.hook })(token);
    } catch (error) {
      if (!(error instanceof ApiEntrepriseError)) throw error;
      io.err(`Erreur : ${error.refusesToken ? `API Entreprise refuse ce jeton. ${error.userMessage}` : error.userMessage}`);
      return REFRESH_EXIT.error;
    }
    const engine = createRefreshEngine({
      db,
      client,
      limiter,
      attempts,
      documents: store,
      privileges,
      logger,
      policy: { callObject: context.object },
      lock: { kind: 'cli' },
    });

    let signalled = 0;
    const onSignal = () => {
      signalled += 1;
      if (signalled === 1) {
        io.err('Mise en pause : les appels en cours se terminent (un second Ctrl+C arrête tout de suite ; la commande suivante reprendra la mise à jour).');
        engine.pause();
      } else {
        // the run stays as it is in the database: the next call resumes it, like after a kill
        engine.dispose();
      }
    };
    for (const signal of SIGNALS) signals.on(signal, onSignal);
    let run: OneRun;
    try {
      run = await runOneRefresh(engine, db, 'manual');
    } catch (error) {
      if (error instanceof TokenStillRefusedError) {
        io.err(`Erreur : ${error.userMessage}`);
        return REFRESH_EXIT.error;
      }
      if (error instanceof RefreshLockedError) {
        io.err(`Mise à jour non lancée : ${error.userMessage}`);
        return REFRESH_EXIT.handedOver;
      }
      throw error;
    } finally {
      for (const signal of SIGNALS) signals.off(signal, onSignal);
    }

    const { end } = run;
    // a run that did not finish has no stored report: the same report, built from where it stands
    const report = end.report ?? (db.open ? buildRunReport(db, run.runId, API_ENTREPRISE_LIMITS, Date.now()) : null);
    const exitCode = refreshExitCode(end);
    const stopped = 'Mise à jour arrêtée avant la fin : la commande suivante la reprendra.';
    const message = end.report?.summary ?? end.error ?? (end.state === 'disposed' ? stopped : (report?.summary ?? stopped));
    const result: RefreshCommandResult = {
      runId: run.runId,
      resumed: run.resumedFrom !== null,
      resumedFrom: run.resumedFrom,
      state: end.state,
      exitCode,
      message,
      report,
    };
    io.out(values.json ? JSON.stringify(result, null, 2) : describeRefresh(result));
    if (exitCode === REFRESH_EXIT.error) io.err(`Erreur : ${message}`);
    return exitCode;
  } finally {
    if (db.open) db.close();
  }
}

/** French, for a register the command cannot open (the English detail is of no use to an agent). */
function databaseOpenFailure(error: unknown, dbPath: string): string {
  if (error instanceof DatabaseTooNewError) return `la base ${dbPath} vient d’une version plus récente de Vigie : mettez Vigie à jour sur ce poste.`;
  switch (classifySqliteError(error).kind) {
    case 'not_a_database':
    case 'malformed':
      return `${dbPath} n’est pas un registre Vigie lisible (fichier endommagé ou d’un autre type).`;
    case 'busy':
      return `la base ${dbPath} est occupée par un autre programme : réessayez dans un instant.`;
    case 'access_denied':
      return `pas le droit de lire ou d’écrire la base ${dbPath}.`;
    case 'disk_full':
      return 'le disque est plein : libérez de la place puis recommencez.';
    default:
      return `la base ${dbPath} n’a pas pu être ouverte (erreur de lecture ou d’écriture).`;
  }
}

const RESUMED_FROM: Partial<Record<RunState, string>> = {
  running: 'interrompue par un arrêt brutal',
  interrupted: 'interrompue par une erreur',
  paused: 'en pause',
  stopped_token: 'arrêtée sur un jeton refusé',
};

const MAX_LISTED = 20;

function describeRefresh(result: RefreshCommandResult): string {
  const origin = result.resumedFrom ? `reprise (elle était ${RESUMED_FROM[result.resumedFrom] ?? result.resumedFrom})` : 'démarrée';
  const lines = [`Mise à jour n° ${result.runId} ${origin}.`, result.message];
  const report = result.report;
  if (report) {
    const { counts } = report;
    lines.push(
      `  ${frenchNumber(counts.done)} sur ${frenchNumber(counts.total)} vérifications faites, ${counted(counts.failed, 'en échec', 'en échec')}, ` +
        `${counted(counts.skipped, 'reportée', 'reportées')}, ${counted(counts.pending, 'restante', 'restantes')}`,
    );
    for (const change of report.changes.slice(0, MAX_LISTED)) lines.push(`  ${change.supplierName ?? change.siret ?? change.siren} : ${change.description}`);
    if (report.changes.length > MAX_LISTED) lines.push(`  … et ${counted(report.changes.length - MAX_LISTED, 'autre changement', 'autres changements')}`);
    for (const error of report.errors.slice(0, MAX_LISTED)) {
      lines.push(`  ${error.supplierName ?? error.identifier}, ${error.endpointLabel} : ${error.message}`);
    }
    if (report.errorCount > MAX_LISTED) lines.push(`  … et ${counted(report.errorCount - MAX_LISTED, 'autre erreur', 'autres erreurs')}`);
  }
  return lines.join('\n');
}
