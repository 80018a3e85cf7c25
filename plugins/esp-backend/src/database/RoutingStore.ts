import type { RoutingConfig } from '@internal/plugin-esp-common';

export type StoredRoutingVersion = {
  version: number;
  /** As saved; the service reads it through the schema, which fills fields added since. */
  config: RoutingConfig;
  createdBy: string;
  createdAt: Date;
  summary: string;
};

export type RoutingVersionWrite = {
  config: RoutingConfig;
  createdBy: string;
  summary: string;
};

/** Persistence of routing versions; the knex class is the only implementation. */
export interface RoutingStore {
  /** The highest version, or undefined before the first save. */
  current(): Promise<StoredRoutingVersion | undefined>;
  /** The current version's number, 0 before the first save: a cheap check per decision. */
  currentVersion(): Promise<number>;
  get(version: number): Promise<StoredRoutingVersion | undefined>;
  /** Newest first, without their configurations. */
  list(limit: number): Promise<Omit<StoredRoutingVersion, 'config'>[]>;
  /**
   * Stores the write as version `after + 1` in one statement, if no version
   * above `after` exists yet; undefined when another save took that number
   * first (nothing is written then).
   */
  append(
    after: number,
    write: RoutingVersionWrite,
  ): Promise<StoredRoutingVersion | undefined>;
}
