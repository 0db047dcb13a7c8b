// Plain-text tables, columns aligned, for the terminal and for pasting into BENCHMARKS.md.

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

/** Display width: combining marks take no column (✓ and ✗ take one). */
function width(text: string): number {
  return [...text.normalize('NFC')].length;
}

function pad(text: string, size: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const sizes = columns.map((column, i) => Math.max(width(column.header), ...rows.map((row) => width(row[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => pad(cell, sizes[i] as number, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = sizes.map((size) => '-'.repeat(size)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

export function mark(met: boolean | null): string {
  if (met === null) return '?';
  return met ? '✓' : '✗';
}

export function fixed(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function integer(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : Math.round(value).toLocaleString('en-US');
}

export function seconds(ms: number | null, digits = 1): string {
  return ms === null || !Number.isFinite(ms) ? '—' : `${(ms / 1000).toFixed(digits)} s`;
}

export function millis(ms: number | null, digits = 1): string {
  return ms === null || !Number.isFinite(ms) ? '—' : `${ms.toFixed(digits)} ms`;
}

export function percent(ratio: number | null, digits = 0): string {
  return ratio === null || !Number.isFinite(ratio) ? '—' : `${(ratio * 100).toFixed(digits)}%`;
}
