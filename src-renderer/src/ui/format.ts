// French wording helpers shared by the screens.

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return integer.format(value);
}

const oneDecimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** "820 Ko", "12,4 Mo", "1,2 Go": a file's size as the file explorer says it. */
export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${oneDecimal.format(bytes / 1024 ** 3)}\u00a0Go`;
  if (bytes >= 1024 ** 2) return `${oneDecimal.format(bytes / 1024 ** 2)}\u00a0Mo`;
  return `${oneDecimal.format(Math.max(1, Math.round(bytes / 1024)))}\u00a0Ko`;
}

/** "0 fournisseur", "1 fournisseur", "2 fournisseurs": French keeps the singular below 2. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return `${formatCount(count)} ${count >= 2 ? pluralForm : singular}`;
}

/** French quotation marks with the non-breaking spaces that keep them on the quoted text's line. */
export function quoted(text: string): string {
  return `«\u00a0${text}\u00a0»`;
}

// Dates are shown as in the town hall, whatever the computer's own time zone says: the token
// vault writes its French messages in Paris time too.
const PARIS = 'Europe/Paris';
const dateFormat = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: PARIS });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: PARIS });

function parsed(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "18/12/2026" (JJ/MM/AAAA). */
export function formatDate(value: string | number | Date): string {
  const date = parsed(value);
  return date ? dateFormat.format(date) : String(value);
}

/** "18/12/2026 à 09:30". */
export function formatDateTime(value: string | number | Date): string {
  const date = parsed(value);
  return date ? `${dateFormat.format(date)} à ${timeFormat.format(date)}` : String(value);
}

/**
 * French spacing for text that may wrap: the spaces inside « » and before : ; ! ? become
 * non-breaking, so that no line starts with « : » or ends with « « ». The words are untouched.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/«[ \t]+/g, '«\u00a0')
    .replace(/[ \t]+»/g, '\u00a0»')
    .replace(/[ \t]+([:;!?])/g, '\u00a0$1');
}
