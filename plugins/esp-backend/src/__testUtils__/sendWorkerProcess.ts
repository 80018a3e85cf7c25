/*
 * The send path of one backend, in a process of its own, for the crash test
 * (sendWorkerCrash.test.ts): the services as plugin.ts wires them over the
 * database and Postmark named in the environment, with the send worker
 * started. The test kills it with SIGKILL mid-dispatch and starts it again.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs sendWorkerProcess.ts
 *
 * Environment: ESP_CRASH_DB (JSON knex config), ESP_CRASH_KEY (base64, the
 * secret key the provider configuration was sealed with), ESP_CRASH_POSTMARK
 * (the stand-in's base URL).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { SecretCipher } from '../lib/SecretCipher';
import { createProviders } from '../providers/registry';
import { createEspServices } from '../services/createEspServices';
import { MemoryCache } from './MemoryCache';

/** Timings short enough for a test: a dead backend's jobs are taken over within 2 s. */
export const CRASH_TEST_TIMINGS = {
  sendWorker: {
    leaseMs: 2_000,
    heartbeatMs: 500,
    pollIntervalMs: 100,
    concurrency: 8,
    shutdownGraceMs: 1_000,
  },
  // The provider is asked 0.5 s to 3 s after the lost request.
  reconcileCheckDelaysMs: [500, 1_500, 3_000],
};

const quiet: LoggerService = {
  info() {},
  debug() {},
  warn() {},
  error(message: string) {
    process.stderr.write(`${message}\n`);
  },
  child() {
    return quiet;
  },
};

/** The services over a database and the Postmark stand-in, with the given key. */
export async function crashTestServices(options: {
  knex: Knex;
  key: Buffer;
  postmarkBaseUrl: string;
}) {
  return createEspServices({
    database: { getClient: async () => options.knex },
    cipher: new SecretCipher([{ id: 'crash-test', key: options.key }]),
    providers: createProviders(),
    config: new ConfigReader({
      esp: { providers: { postmark: { baseUrl: options.postmarkBaseUrl } } },
    }),
    logger: quiet,
    cache: new MemoryCache(),
    ...CRASH_TEST_TIMINGS,
  });
}

async function main() {
  const knex = knexFactory(JSON.parse(process.env.ESP_CRASH_DB!));
  const services = await crashTestServices({
    knex,
    key: Buffer.from(process.env.ESP_CRASH_KEY!, 'base64'),
    postmarkBaseUrl: process.env.ESP_CRASH_POSTMARK!,
  });
  services.sendWorker.start();
  process.stdout.write('ready\n');
  // Runs until killed.
  setInterval(() => {}, 60_000);
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
