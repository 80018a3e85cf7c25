/*
 * How much the 5-minute provider-list cache saves: GET /providers' service call
 * with a warm cache against the same call with the cache invalidated before each
 * call (store read from a real SQLite file, status computed), in one process.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/provider-list.bench.ts
 */
import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import { DatabaseProviderConfigStore } from '../plugins/esp-backend/src/database/DatabaseProviderConfigStore';
import { SecretCipher } from '../plugins/esp-backend/src/lib/SecretCipher';
import { MemoryCache } from '../plugins/esp-backend/src/__testUtils__/MemoryCache';
import { createProviders } from '../plugins/esp-backend/src/providers/registry';
import { ProviderConfigService } from '../plugins/esp-backend/src/services/ProviderConfigService';
import { ProviderConnections } from '../plugins/esp-backend/src/services/ProviderConnections';
import { ProviderListCache } from '../plugins/esp-backend/src/services/ProviderListCache';
import { withSqliteFile } from './sqliteFile';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3000);

async function timeIt(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn(); // warm-up: JIT and SQLite page cache
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  const ns = Number(process.hrtime.bigint() - start);
  const perCallUs = ns / ITERATIONS / 1000;
  console.log(
    `${label}: ${perCallUs.toFixed(1)} µs per call, ${Math.round(
      1e9 / (ns / ITERATIONS),
    )} calls/s`,
  );
  return perCallUs;
}

async function main() {
  await withSqliteFile(async database => {
    const store = await DatabaseProviderConfigStore.create({ database });
    const cipher = new SecretCipher([{ id: 'bench', key: randomBytes(32) }]);
    await store.save('postmark', {
      settings: { defaultSender: 'noreply@example.com' },
      secrets: {
        serverToken: cipher.encrypt('x'.repeat(36), 'postmark.serverToken'),
      },
      updatedBy: 'user:default/bench',
    });
    const logger = {
      error() {},
      warn: console.warn,
      info() {},
      debug() {},
      child() {
        return logger;
      },
    };
    const config = new ConfigReader({});
    const summaries = new ProviderListCache(new MemoryCache(), logger);
    const service = new ProviderConfigService({
      store,
      connections: new ProviderConnections({
        store,
        cipher,
        providers: createProviders(),
        config,
        logger,
      }),
      summaries,
      config,
    });
    const invalidator = summaries;

    console.log(`provider list, ${ITERATIONS} calls each`);
    const cold = await timeIt('uncached (store read + status)', async () => {
      await invalidator.invalidate();
      return service.listSummaries();
    });
    const warm = await timeIt('cached', () => service.listSummaries());
    console.log(`ratio uncached/cached: ${(cold / warm).toFixed(1)}x`);
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
