import type { ColumnMapping, ImportField } from '../../common/ipc-contract';
import { checkIdentifier } from '../../common/identifiers';
import { foldText } from '../../common/text-folding';

// Header names seen in French accounting and procurement exports, folded (lower-case, no
// accents, letters and digits only).
const SYNONYMS: Record<ImportField, readonly string[]> = {
  siret: ['siret', 'numerosiret', 'nsiret', 'nosiret', 'numsiret', 'siretfournisseur', 'siretdutiers'],
  siren: ['siren', 'numerosiren', 'nsiren', 'nosiren', 'numsiren', 'sirenfournisseur'],
  name: [
    'raisonsociale', 'nom', 'denomination', 'denominationsociale', 'nomfournisseur', 'fournisseur',
    'libelle', 'nomdutiers', 'tiers', 'intitule', 'nomtiers', 'libelletiers', 'entreprise', 'societe',
  ],
  accountingCode: [
    'codetiers', 'codefournisseur', 'comptetiers', 'numerotiers', 'codecomptable', 'comptefournisseur',
    'numerofournisseur', 'reference', 'ref', 'code', 'compte', 'ntiers', 'notiers',
  ],
  address: ['adresse', 'adresse1', 'adressepostale', 'rue', 'voie', 'ligneadresse'],
  postalCode: ['codepostal', 'cp', 'cpostal'],
  city: ['ville', 'commune', 'localite', 'bureaudistributeur'],
  tags: ['etiquettes', 'etiquette', 'tags', 'tag', 'categorie', 'categories', 'famille'],
  notes: ['notes', 'note', 'commentaire', 'commentaires', 'observations', 'remarques'],
  active: ['actif', 'active', 'statut', 'etat', 'enactivite'],
};

const FIELD_BY_HEADER = new Map<string, ImportField>();
for (const [field, names] of Object.entries(SYNONYMS) as [ImportField, readonly string[]][]) {
  for (const name of names) FIELD_BY_HEADER.set(name, field);
}

export function foldHeader(header: string): string {
  return foldText(header).replace(/[^a-z0-9]/g, '');
}

export function fieldForHeader(header: string): ImportField | undefined {
  return FIELD_BY_HEADER.get(foldHeader(header));
}

/** A first row is a header when one of its cells names a known field and none is an identifier. */
export function looksLikeHeader(row: readonly string[]): boolean {
  const hasIdentifier = row.some((cell) => checkIdentifier(cell).ok);
  return !hasIdentifier && row.some((cell) => fieldForHeader(cell) !== undefined);
}

export function mappingFromHeaders(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const taken = new Set<ImportField>();
  headers.forEach((header, index) => {
    const field = fieldForHeader(header);
    if (field && !taken.has(field)) {
      mapping[String(index)] = field;
      taken.add(field);
    }
  });
  return mapping;
}

/** Without a header, columns are recognised by their content: identifiers first, then the first text column. */
export function mappingFromContent(rows: readonly (readonly string[])[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const width = Math.max(0, ...rows.map((r) => r.length));
  const taken = new Set<ImportField>();
  for (let col = 0; col < width; col += 1) {
    const cells = rows.map((r) => r[col] ?? '').filter((c) => c.trim() !== '');
    if (cells.length === 0) continue;
    const kinds = cells.map((c) => {
      const check = checkIdentifier(c);
      return check.ok ? check.kind : null;
    });
    const majority = (kind: string) => kinds.filter((k) => k === kind).length * 2 > cells.length;
    if (!taken.has('siret') && majority('siret')) {
      mapping[String(col)] = 'siret';
      taken.add('siret');
    } else if (!taken.has('siren') && majority('siren')) {
      mapping[String(col)] = 'siren';
      taken.add('siren');
    } else if (!taken.has('name') && cells.filter((c) => /\p{L}{2}/u.test(c)).length * 2 > cells.length) {
      mapping[String(col)] = 'name';
      taken.add('name');
    }
  }
  return mapping;
}

export function hasIdentifierColumn(mapping: ColumnMapping): boolean {
  return Object.values(mapping).some((f) => f === 'siret' || f === 'siren');
}
