/** Plain-text tables: aligned columns, a rule under the header, readable in any terminal or README. */

/** One column of a {@link Table}. */
export interface Column {
  readonly header: string;
  /** Numbers read best right-aligned. @default 'left' */
  readonly align?: 'left' | 'right';
}

/** What {@link formatTable} prints. */
export interface Table {
  readonly title?: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
  /** Lines printed under the table (notes, legends). */
  readonly notes?: readonly string[];
}

/** Renders a table as text (no trailing newline). */
export function formatTable(table: Table): string {
  const widths = table.columns.map((column, i) => Math.max(column.header.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const cell = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return table.columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]): string => table.columns.map((_, i) => cell(cells[i] ?? '', i)).join('  ').trimEnd();
  const out: string[] = [];
  if (table.title !== undefined) out.push(table.title, '');
  out.push(line(table.columns.map((column) => column.header)));
  out.push(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of table.rows) out.push(line(row));
  if (table.notes !== undefined && table.notes.length > 0) out.push('', ...table.notes);
  return out.join('\n');
}

/** Prints a table followed by a blank line. */
export function printTable(table: Table): void {
  console.log(`${formatTable(table)}\n`);
}
