import type { SuppressionView } from '@internal/plugin-esp-common';
import { toCsv } from '../../lib/csv';

const COLUMNS = [
  'address',
  'reason',
  'source',
  'provider',
  'eventId',
  'createdBy',
  'createdAt',
] as const;

/** The suppression list's export: one row per entry, its provenance included. */
export function suppressionsCsv(rows: SuppressionView[]): string {
  return toCsv(
    COLUMNS,
    rows.map(row => [
      row.address,
      row.reason,
      row.source,
      row.provider,
      row.eventId ?? null,
      row.createdBy,
      row.createdAt,
    ]),
  );
}
