import { InputError } from '@backstage/errors';
import { MAX_ADDRESSES_PER_VALIDATION } from '@internal/plugin-esp-common';
import { CsvError, parse } from 'csv-parse/sync';
import type { ListedAddress } from '../../database/AddressValidationStore';

const HEADER = /^(e-?mail|email address|address)$/i;

/**
 * Reads the addresses of an uploaded CSV: the column headed "email" (or
 * "email address", "address"), else the first column. Empty lines are skipped.
 * A malformed file is refused with the line that broke it.
 */
export function parseAddressCsv(text: string): ListedAddress[] {
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
    throw new InputError('The CSV file holds no addresses');
  }
  const headerColumn = records[0].findIndex(cell => HEADER.test(cell));
  const column = Math.max(headerColumn, 0);
  const startsAt = headerColumn >= 0 ? 1 : 0;

  const addresses: ListedAddress[] = [];
  for (let i = startsAt; i < records.length; i++) {
    const address = records[i][column]?.trim();
    // Empty lines are skipped, so the line comes from the parser, not the index.
    if (address) addresses.push({ line: parsed[i].info.lines, address });
  }
  if (addresses.length === 0) {
    throw new InputError('The CSV file holds no addresses');
  }
  if (addresses.length > MAX_ADDRESSES_PER_VALIDATION) {
    throw new InputError(
      `The CSV file holds ${addresses.length} addresses; at most ${MAX_ADDRESSES_PER_VALIDATION} can be validated at once`,
    );
  }
  return addresses;
}
