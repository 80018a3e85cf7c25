import type {
  AddressValidationJob,
  AddressValidationRow,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';

/** An address of an uploaded list, by the CSV line it came from. */
export type ListedAddress = { line: number; address: string };

/** A validation as stored: the job the API shows, without its rows, with real dates. */
export type StoredAddressValidation = Omit<
  AddressValidationJob,
  'rows' | 'startedAt' | 'finishedAt'
> & {
  startedAt: Date;
  finishedAt: Date | null;
};

/**
 * List validations and their addresses, each verdict kept as it comes. Who
 * checks which addresses (and takes over from a backend that stopped) is the
 * job queue's business: see AddressValidationJobs.
 */
export interface AddressValidationStore {
  /**
   * Stores a new running validation with all its addresses unchecked.
   * `duplicates`: repeated addresses left out of `addresses`.
   * `alsoInTransaction` runs in the same transaction (the jobs that will check
   * the addresses are enqueued there: a list is never stored without them).
   */
  create(
    validation: {
      id: string;
      providerId: string;
      startedAt: Date;
      duplicates?: number;
    },
    addresses: ListedAddress[],
    alsoInTransaction?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<void>;

  get(id: string): Promise<StoredAddressValidation | undefined>;

  /** The checked addresses, in upload order. */
  checkedRows(id: string): Promise<AddressValidationRow[]>;

  /** Up to `limit` addresses not checked yet, in upload order. */
  uncheckedAddresses(id: string, limit: number): Promise<ListedAddress[]>;

  /** Those of the given lines that are not checked yet, in upload order. */
  uncheckedAt(id: string, lines: number[]): Promise<ListedAddress[]>;

  /**
   * Records verdicts and counts them, both in one transaction. A row that
   * already has a verdict keeps it and is not counted twice.
   */
  recordResults(id: string, rows: AddressValidationRow[]): Promise<void>;

  /** Ends a running validation; false when it had ended already. */
  finish(
    id: string,
    outcome: { status: 'done' | 'failed'; error: string | null; at: Date },
  ): Promise<boolean>;

  /** Deletes validations that finished before `before`, with their addresses. */
  deleteFinishedBefore(before: Date): Promise<number>;
}
