/*
 * What the send benches share: the services wired as the plugin wires them
 * (createEspServices) over a given database, with Postmark pointed at a
 * stand-in, and a scratch PostgreSQL database when one is configured.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { MemoryCache } from '../plugins/esp-backend/src/__testUtils__/MemoryCache';
import { SecretCipher } from '../plugins/esp-backend/src/lib/SecretCipher';
import { createProviders } from '../plugins/esp-backend/src/providers/registry';
import { createEspServices } from '../plugins/esp-backend/src/services/createEspServices';

export const PG_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
export const SERVER_TOKEN = 'bench-server-token';
const ADMIN = 'user:default/bench';

export const silent: any = {
  info() {},
  warn(m: string) {
    if (process.env.BENCH_WARN) console.warn(m);
  },
  error() {},
  debug() {},
  child() {
    return silent;
  },
};

/** The services over `database`, Postmark (batches of 500) routed to for everything. */
export async function sendServices(
  database: DatabaseService,
  postmarkBaseUrl: string,
  sendWorker: { concurrency: number },
) {
  const services = await createEspServices({
    database,
    cipher: new SecretCipher([{ id: 'bench', key: randomBytes(32) }]),
    providers: createProviders(),
    config: new ConfigReader({
      esp: { providers: { postmark: { baseUrl: postmarkBaseUrl } } },
    }),
    logger: silent,
    cache: new MemoryCache(),
    sendWorker: { leaseMs: 120_000, ...sendWorker },
  });
  await services.configs.saveConfig(
    'postmark',
    {
      serverToken: SERVER_TOKEN,
      defaultSender: 'noreply@example.com',
      tracking: { trackOpens: false, trackLinks: false, trackDelivery: false },
      advanced: {
        messageStream: 'outbound',
        batchSize: 500,
        retryAttempts: 2,
        timeoutSeconds: 30,
      },
    },
    ADMIN,
  );
  const defaults = defaultRoutingConfig();
  await services.routing.save(
    {
      ...defaults,
      defaultProvider: 'postmark',
      failover: { ...defaults.failover, chain: ['postmark'] },
      cost: {
        ...defaults.cost,
        useFreeTiersFirst: false,
        volumeRouting: { enabled: false, minRecipients: 1000 },
      },
    },
    ADMIN,
  );
  return services;
}

/** `count` distinct messages, as a caller sends them. */
export function benchMessages(count: number, offset = 0) {
  return Array.from({ length: count }, (_, i) => ({
    to: [`user${offset + i}@example.com`],
    subject: `Order ${offset + i} confirmed`,
    text: `Your order ${offset + i} is on its way.`,
    emailType: 'transactional' as const,
  }));
}

/** Runs `fn` on a PostgreSQL database created for it and dropped afterwards. */
export async function withScratchPostgres<T>(
  fn: (database: DatabaseService, knex: Knex) => Promise<T>,
): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  const name = `esp_bench_${randomBytes(4).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    return await fn({ getClient: async () => knex }, knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE ${name}`);
    await admin.destroy();
  }
}

export function perSecond(count: number, startNs: bigint): number {
  return count / (Number(process.hrtime.bigint() - startNs) / 1e9);
}
