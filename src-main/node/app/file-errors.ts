import { UserFacingError } from '../user-facing-error';

/** File-system failures in words an agent can act on; other errors pass through. */
export function asFileError(error: unknown, path: string): unknown {
  if (error instanceof UserFacingError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const messages: Record<string, string> = {
    ENOENT: 'Le fichier est introuvable : il a peut-être été déplacé ou supprimé.',
    EACCES: 'Vigie n’a pas le droit d’accéder à ce fichier.',
    EPERM: 'Vigie n’a pas le droit d’accéder à ce fichier.',
    EISDIR: 'Ce chemin désigne un dossier, pas un fichier.',
    ENOSPC: 'Le disque est plein : libérez de la place puis recommencez.',
    EBUSY: 'Le fichier est ouvert dans un autre programme : fermez-le puis recommencez.',
  };
  const message = code ? messages[code] : undefined;
  return message ? new UserFacingError('bad-input', message, `${code} on ${path}`) : error;
}
