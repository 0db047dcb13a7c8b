// French wording helpers shared by the screens.

const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** "0 fournisseur", "1 fournisseur", "2 fournisseurs": French keeps the singular below 2. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return `${formatCount(count)} ${count >= 2 ? pluralForm : singular}`;
}

/** French quotation marks with the non-breaking spaces that keep them on the quoted text's line. */
export function quoted(text: string): string {
  return `«\u00a0${text}\u00a0»`;
}
