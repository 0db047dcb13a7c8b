import type { ImportField, ImportReport } from '../../../src-main/common/ipc-contract';

/** In the order the column selects offer them. */
export const FIELD_LABELS: Readonly<Record<ImportField, string>> = {
  siret: 'SIRET',
  siren: 'SIREN',
  name: 'Raison sociale',
  accountingCode: 'Code tiers',
  address: 'Adresse',
  postalCode: 'Code postal',
  city: 'Ville',
  tags: 'Étiquettes',
  notes: 'Notes',
  active: 'Actif',
};

export const IMPORT_FIELDS = Object.keys(FIELD_LABELS) as ImportField[];

export const DELIMITER_WORDS: Readonly<Record<ImportReport['delimiter'], string>> = {
  ';': 'point-virgule',
  ',': 'virgule',
  '\t': 'tabulation',
};

export const ENCODING_WORDS: Readonly<Record<ImportReport['encoding'], string>> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252 (ANSI)',
  mixed: 'UTF-8 et Windows-1252 mélangés (lus ligne par ligne)',
  'utf-16': 'UTF-16 (Texte Unicode)',
};
