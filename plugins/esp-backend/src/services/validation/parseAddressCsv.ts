import { InputError } from '@backstage/errors';
import { MAX_ADDRESSES_PER_VALIDATION } from '@internal/plugin-esp-common';
import { CsvError, parse } from 'csv-parse/sync';
import type { ListedAddress } from '../../database/AddressValidationStore';

const HEADER = /^(e-?mail|email address|address)$/i;

// What a binary file looks like once read as text: NUL bytes and other control
// characters no CSV holds, or U+FFFD where bytes were not valid UTF-8.
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000E-\u001F\u007F]/;
const NOT_UTF8 = '\uFFFD';

const NO_ADDRESSES =
  'The CSV file holds no addresses: put one address per line, or in a column headed "email"';

/** The addresses of an upload, each once, and how many repeats were left out. */
export type ParsedAddressList = {
  addresses: ListedAddress[];
  /** Addresses that repeated an earlier one, compared trimmed and in any case. */
  duplicates: number;
};

function requireText(text: string): void {
  if (CONTROL_CHARACTER.test(text)) {
    throw new InputError(
      'The file is not a text CSV file: it holds binary data. Export the list as CSV (comma-separated text) and upload that.',
    );
  }
  if (text.includes(NOT_UTF8)) {
    throw new InputError(
      'The file is not a text CSV file: it is not valid UTF-8 text. Save the list as CSV in UTF-8 and upload that.',
    );
  }
}

/**
 * Reads the addresses of an uploaded CSV: the column headed "email" (or
 * "email address", "address"), else the first column. Empty lines are skipped,
 * and an address met again (any case, surrounding spaces aside) is counted as a
 * duplicate instead of being checked, and billed, twice. A binary, empty or
 * malformed file is refused with a sentence saying which.
 */
export function parseAddressCsv(text: string): ParsedAddressList {
  if (text.trim() === '') {
    throw new InputError('The CSV file is empty');
  }
  requireText(text);
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError(
        `The CSV file is malformed at line ${
          line ?? '?'
        }: ${error.message.replace(/^Invalid [^:]*: /, '')}`,
      );
    }
    throw error;
  }
  const records = parsed.map(p => p.record);
  if (records.length === 0) {
    throw new InputError(NO_ADDRESSES);
  }
  const headerColumn = records[0].findIndex(cell => HEADER.test(cell));
  const column = Math.max(headerColumn, 0);
  const startsAt = headerColumn >= 0 ? 1 : 0;

  const addresses: ListedAddress[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (let i = startsAt; i < records.length; i++) {
    const address = records[i][column]?.trim();
    if (!address) continue;
    const key = address.toLocaleLowerCase('en-US');
    if (seen.has(key)) {
      duplicates += 1;
      continue;
    }
    seen.add(key);
    // Empty lines are skipped, so the line comes from the parser, not the index.
    addresses.push({ line: parsed[i].info.lines, address });
  }
  if (addresses.length === 0) {
    throw new InputError(NO_ADDRESSES);
  }
  if (addresses.length > MAX_ADDRESSES_PER_VALIDATION) {
    throw new InputError(
      `The CSV file holds ${addresses.length} addresses; at most ${MAX_ADDRESSES_PER_VALIDATION} can be validated at once`,
    );
  }
  return { addresses, duplicates };
}
