import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { DatabaseAddressValidationStore } from '../database/DatabaseAddressValidationStore';
import { DatabaseProviderConfigStore } from '../database/DatabaseProviderConfigStore';
import { SecretCipher } from '../lib/SecretCipher';
import { DatabaseJobQueue } from '../queue/DatabaseJobQueue';
import { JobWorker } from '../queue/JobWorker';
import { postmarkProfile } from '../providers/postmark/postmarkProfile';
import { RegisteredProvider, registerProvider } from '../providers/registry';
import { ProviderConfigService } from '../services/ProviderConfigService';
import { ProviderConnections } from '../services/ProviderConnections';
import { ProviderListCache } from '../services/ProviderListCache';
import { ProviderOperations } from '../services/ProviderOperations';
import {
  ADDRESS_VALIDATION_QUEUE,
  AddressValidationJobs,
} from '../services/validation/AddressValidationJobs';
import { FakePostmarkAdapter } from './FakePostmarkAdapter';
import { MemoryCache } from './MemoryCache';

export const SERVER_TOKEN = 'srv-7f3c9a12-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
export const ACCOUNT_TOKEN = 'acc-1a2b3c4d-5e6f-4a8b-9c0d-e1f2a3b4c5d6';

/**
 * The services wired as plugin.ts wires them, over a given database, providers
 * and app-config (`esp.providers.*`), for tests and benchmarks.
 */
export async function createEspServices(options: {
  knex: Knex;
  providers: RegisteredProvider[];
  config?: object;
}) {
  const database = mockServices.database({ knex: options.knex });
  const store = await DatabaseProviderConfigStore.create({ database });
  const validationStore = await DatabaseAddressValidationStore.create({
    database,
  });
  const cipher = new SecretCipher([{ id: 'test', key: randomBytes(32) }]);
  const logger = mockServices.logger.mock();
  const config = new ConfigReader({ esp: options.config ?? {} });
  const connections = new ProviderConnections({
    store,
    cipher,
    providers: options.providers,
    config,
    logger,
  });
  const summaries = new ProviderListCache(new MemoryCache(), logger);
  const configs = new ProviderConfigService({
    store,
    connections,
    summaries,
    config,
  });
  const operations = new ProviderOperations(connections, () =>
    summaries.invalidate(),
  );
  // Not started: a test runs it (drain, runOnce) when it validates a list.
  const validationWorker = new JobWorker({
    queue: await DatabaseJobQueue.create({ database }),
    queueName: ADDRESS_VALIDATION_QUEUE,
    logger,
  });
  const validations = new AddressValidationJobs({
    store: validationStore,
    connections,
    logger,
    worker: validationWorker,
  });
  return {
    store,
    validationStore,
    cipher,
    logger,
    config,
    connections,
    summaries,
    configs,
    operations,
    validations,
    validationWorker,
  };
}

/** A database TestDatabases can start (its id type is not exported). */
export type TestDatabaseId = Parameters<TestDatabases['init']>[0];

/** The services over a real store (SQLite or PostgreSQL) and a fake Postmark, as the unit tests use them. */
export async function createServiceFixture(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knex = await databases.init(databaseId);
  const adapter = new FakePostmarkAdapter();
  adapter.serverTokens.add(SERVER_TOKEN);
  adapter.accountTokens.add(ACCOUNT_TOKEN);
  const services = await createEspServices({
    knex,
    providers: [registerProvider(adapter, postmarkProfile)],
    config: { providers: { postmark: { baseUrl: 'http://postmark.test' } } },
  });
  return { knex, adapter, ...services };
}

export const validPostmarkInput = {
  serverToken: SERVER_TOKEN,
  defaultSender: 'noreply@example.com',
  tracking: { trackOpens: true, trackLinks: false, trackDelivery: false },
  advanced: {
    messageStream: 'outbound',
    batchSize: 100,
    retryAttempts: 2,
    timeoutSeconds: 20,
  },
};
