// What happened to a register replacement (backup restore, transfer import) done just before a
// restart: the shell writes it before relaunching, the next start shows it once. Without it a
// failed replacement would only be in the log, and the user would not know the old register is
// still the one open.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import { UserFacingError } from '../user-facing-error';

export const RESTART_NOTICE_FILE = 'restart-notice.json';

export const restartNoticeSchema = z.object({
  outcome: z.enum(['success', 'failure']),
  /** French, shown as is. */
  message: z.string().min(1).max(1_000),
  at: z.string(),
});

export type RestartNotice = z.infer<typeof restartNoticeSchema>;

const REPLACED =
  'Le registre a été remplacé comme demandé. L’ancien registre est conservé à côté, dans le dossier des données de Vigie.';
const NOT_REPLACED = 'Le remplacement du registre n’a pas abouti : Vigie a repris le registre d’avant, qui n’a pas changé.';

/** The notice for a replacement's outcome; a French reason is kept, an English one stays in the log. */
export function replacementNotice(error: unknown, at: Date): RestartNotice {
  if (error === null) return { outcome: 'success', message: REPLACED, at: at.toISOString() };
  const reason = error instanceof UserFacingError ? ` ${error.message}` : '';
  return { outcome: 'failure', message: `${NOT_REPLACED}${reason}`.slice(0, 1_000), at: at.toISOString() };
}

/** Written beside the database, through a temporary file: a crash never leaves half a notice. */
export function leaveRestartNotice(dataDir: string, notice: RestartNotice, logger?: Logger): void {
  const path = join(dataDir, RESTART_NOTICE_FILE);
  try {
    writeFileSync(`${path}.part`, JSON.stringify(restartNoticeSchema.parse(notice)));
    renameSync(`${path}.part`, path);
  } catch (error) {
    // the restart must happen anyway; the log keeps the outcome
    logger?.warn('restart notice not written', { error: error instanceof Error ? error.message : String(error) });
  }
}

/** The notice left by the previous run, once: it is removed as it is read. Null when none (or unreadable). */
export function takeRestartNotice(dataDir: string, logger?: Logger): RestartNotice | null {
  const path = join(dataDir, RESTART_NOTICE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  rmSync(path, { force: true });
  try {
    return restartNoticeSchema.parse(JSON.parse(text));
  } catch (error) {
    logger?.warn('restart notice unreadable, dropped', { error: error instanceof Error ? error.message.slice(0, 200) : String(error) });
    return null;
  }
}
