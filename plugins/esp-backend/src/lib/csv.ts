import { stringify } from 'csv-stringify/sync';

/** A cell ESP Hub writes: text, a number, or nothing. */
export type CsvCell = string | number | null | undefined;

// A spreadsheet reads a cell starting with one of these as a formula (or, for
// tab and CR, strips them and reads what follows): `=HYPERLINK(…)` in an
// uploaded address would run when the results are opened.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Makes a text cell inert for spreadsheets by prefixing a `'`, which they show
 * as the text it precedes. Numbers ESP Hub writes itself are left as they are.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The one CSV writer for every CSV file ESP Hub writes: a header row, then the
 * rows, quoted where RFC 4180 needs it (commas, quotes, line breaks) by
 * csv-stringify, with every text cell neutralised against formula injection.
 */
export function toCsv(
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<CsvCell>>,
): string {
  return stringify(
    rows.map(row => [...row]),
    {
      header: true,
      columns: columns.map(neutraliseCell),
      cast: { string: neutraliseCell },
    },
  );
}

/**
 * Rows only, without the header: for a long export written page by page
 * after one `toCsv(columns, [])`, with the same quoting and neutralising.
 */
export function toCsvRows(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return stringify(
    rows.map(row => [...row]),
    { cast: { string: neutraliseCell } },
  );
}
