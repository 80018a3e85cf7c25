import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { randomBytes } from 'node:crypto';
import { DatabaseAddressValidationStore } from '../database/DatabaseAddressValidationStore';
import { DatabaseProviderConfigStore } from '../database/DatabaseProviderConfigStore';
import { SecretCipher } from '../lib/SecretCipher';
import { DatabaseJobQueue } from '../queue/DatabaseJobQueue';
import { JobWorker } from '../queue/JobWorker';
import { ProviderConfigService } from '../services/ProviderConfigService';
import { FakePostmarkAdapter } from './FakePostmarkAdapter';
import { MemoryCache } from './MemoryCache';

export const SERVER_TOKEN = 'srv-7f3c9a12-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
export const ACCOUNT_TOKEN = 'acc-1a2b3c4d-5e6f-4a8b-9c0d-e1f2a3b4c5d6';

/** A service over a real SQLite store and a fake Postmark, as the unit tests use it. */
export async function createServiceFixture(databases: TestDatabases) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseProviderConfigStore.create({
    database: mockServices.database({ knex }),
  });
  const cipher = new SecretCipher([{ id: 'test', key: randomBytes(32) }]);
  const adapter = new FakePostmarkAdapter();
  adapter.serverTokens.add(SERVER_TOKEN);
  adapter.accountTokens.add(ACCOUNT_TOKEN);
  const logger = mockServices.logger.mock();
  const validationWorker = new JobWorker({
    queue: await DatabaseJobQueue.create({
      database: mockServices.database({ knex }),
    }),
    queueName: 'address-validation',
    logger,
  });
  const service = new ProviderConfigService({
    store,
    cipher,
    adapters: { postmark: adapter },
    baseUrls: { postmark: 'http://postmark.test', mailgun: '', smtp: '' },
    cache: new MemoryCache(),
    logger,
    validationStore: await DatabaseAddressValidationStore.create({
      database: mockServices.database({ knex }),
    }),
    validationWorker,
  });
  return { knex, store, cipher, adapter, logger, service, validationWorker };
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
