// Spreadsheet formula injection (CSV injection): a cell that starts with one of these characters
// is run as a formula by Excel or LibreOffice. On export such cells get a leading apostrophe,
// which spreadsheets show as plain text; on import the apostrophe is removed again, so that an
// exported register re-imports to the same values.
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

export function neutralizeFormula(value: string): string {
  return value !== '' && FORMULA_TRIGGERS.has(value[0] as string) ? `'${value}` : value;
}

export function stripFormulaGuard(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_TRIGGERS.has(value[1] as string) ? value.slice(1) : value;
}
