import type {
  AddressValidationJob,
  AddressValidationRow,
} from '@internal/plugin-esp-common';

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
 * List validations and their addresses. A run holds a lease on its validation
 * and renews it as it goes; a validation whose lease ran out (its backend
 * stopped or crashed) can be taken over by another run, which carries on with
 * the addresses not checked yet.
 */
export interface AddressValidationStore {
  /**
   * Stores a new running validation with all its addresses unchecked, leased
   * to `owner`. `duplicates`: repeated addresses left out of `addresses`.
   */
  create(
    validation: {
      id: string;
      providerId: string;
      startedAt: Date;
      duplicates?: number;
    },
    addresses: ListedAddress[],
    lease: { owner: string; until: Date },
  ): Promise<void>;

  get(id: string): Promise<StoredAddressValidation | undefined>;

  /** The checked addresses, in upload order. */
  checkedRows(id: string): Promise<AddressValidationRow[]>;

  /** Up to `limit` addresses not checked yet, in upload order. */
  uncheckedAddresses(id: string, limit: number): Promise<ListedAddress[]>;

  /**
   * Records verdicts and counts them, both in one transaction. A row that
   * already has a verdict keeps it and is not counted twice.
   */
  recordResults(id: string, rows: AddressValidationRow[]): Promise<void>;

  /** Ends a running validation and releases its lease. */
  finish(
    id: string,
    outcome: { status: 'done' | 'failed'; error: string | null; at: Date },
  ): Promise<void>;

  /**
   * Takes the lease when it is free or expired at `now`, or renews it for the
   * owner that holds it. False when another owner holds a live lease or the
   * validation is no longer running.
   */
  lease(id: string, owner: string, now: Date, until: Date): Promise<boolean>;

  /** Ids of running validations whose lease expired at `now`. */
  interrupted(now: Date): Promise<string[]>;

  /** Deletes validations that finished before `before`, with their addresses. */
  deleteFinishedBefore(before: Date): Promise<number>;
}
