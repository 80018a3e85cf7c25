export type CsvCell = string | number | null | undefined;

// A spreadsheet runs a cell that starts with one of these as a formula: a
// provider name or domain an attacker controls must stay text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: empty for null, defused against formulas, quoted where needed. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text: a header row, then the rows, CRLF between lines. */
export function writeCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows]
    .map(row => row.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}
