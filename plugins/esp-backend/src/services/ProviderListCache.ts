import type {
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ProviderSummary } from '@internal/plugin-esp-common';

/** The part of `coreServices.cache` this plugin uses. */
export type CacheStore = Pick<CacheService, 'get' | 'set' | 'delete'>;

const KEY = 'provider-summaries';
// The spec: "Provider Status: Cached for 5 minutes".
const TTL_MS = 5 * 60 * 1000;

/**
 * Caches the provider overview. Every change invalidates it, so the TTL only
 * bounds how stale it gets when another backend instance changed something and
 * the cache store is not shared between instances (the default memory store).
 * A broken cache store must never break the overview, hence the fallbacks.
 */
export class ProviderListCache {
  constructor(
    private readonly cache: CacheStore,
    private readonly logger: LoggerService,
  ) {}

  async getOrLoad(
    load: () => Promise<ProviderSummary[]>,
  ): Promise<ProviderSummary[]> {
    try {
      const hit = await this.cache.get<ProviderSummary[]>(KEY);
      if (hit) return hit;
    } catch (error) {
      this.logger.warn(`Provider list cache read failed: ${String(error)}`);
    }
    const fresh = await load();
    try {
      await this.cache.set(KEY, fresh, { ttl: TTL_MS });
    } catch (error) {
      this.logger.warn(`Provider list cache write failed: ${String(error)}`);
    }
    return fresh;
  }

  async invalidate(): Promise<void> {
    try {
      await this.cache.delete(KEY);
    } catch (error) {
      this.logger.warn(
        `Provider list cache invalidation failed: ${String(error)}`,
      );
    }
  }
}
