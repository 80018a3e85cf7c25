import type { CacheStore } from '../services/ProviderListCache';

/** A cache store for tests; it honours TTLs so expiry can be tested with fake timers. */
export class MemoryCache implements CacheStore {
  private readonly entries = new Map<
    string,
    { value: any; expiresAt: number }
  >();

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.value;
  }

  async set(
    key: string,
    value: any,
    options?: { ttl?: unknown },
  ): Promise<void> {
    const ttl = typeof options?.ttl === 'number' ? options.ttl : Infinity;
    this.entries.set(key, { value, expiresAt: Date.now() + ttl });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
