import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  defaultRoutingConfig,
  RoutingConfigInput,
} from '@internal/plugin-esp-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { SecretCipher } from '../lib/SecretCipher';
import type { Clock } from '../queue/Clock';
import { postmarkProfile } from '../providers/postmark/postmarkProfile';
import { RegisteredProvider, registerProvider } from '../providers/registry';
import type { ProviderChangeListener } from '../services/ProviderChangeEvents';
import {
  createEspServices as wireEspServices,
  EspServicesOptions,
} from '../services/createEspServices';
import { FakePostmarkAdapter } from './FakePostmarkAdapter';
import { MemoryCache } from './MemoryCache';

export const SERVER_TOKEN = 'srv-7f3c9a12-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
export const ACCOUNT_TOKEN = 'acc-1a2b3c4d-5e6f-4a8b-9c0d-e1f2a3b4c5d6';

/**
 * The services wired as plugin.ts wires them (the same createEspServices), over
 * a given database, providers and app-config (`esp.providers.*`), with a fresh
 * key and an in-memory cache, for tests and benchmarks.
 */
export async function createEspServices(options: {
  knex: Knex;
  providers: RegisteredProvider[];
  config?: object;
  onProvidersChanged?: ProviderChangeListener;
  clock?: Clock;
  notifications?: NotificationService;
  /** Another graph's cipher: replicas over one database share their keys. */
  cipher?: SecretCipher;
  sendWorker?: EspServicesOptions['sendWorker'];
  webhooks?: EspServicesOptions['webhooks'];
  suppressionSync?: EspServicesOptions['suppressionSync'];
}) {
  const cipher =
    options.cipher ?? new SecretCipher([{ id: 'test', key: randomBytes(32) }]);
  const logger = mockServices.logger.mock();
  const config = new ConfigReader({ esp: options.config ?? {} });
  // The worker is not started: a test runs it (drain, runOnce) when it validates a list.
  const services = await wireEspServices({
    database: mockServices.database({ knex: options.knex }),
    cipher,
    providers: options.providers,
    config,
    logger,
    cache: new MemoryCache(),
    onProvidersChanged: options.onProvidersChanged,
    clock: options.clock,
    notifications: options.notifications,
    sendWorker: options.sendWorker,
    webhooks: options.webhooks,
    suppressionSync: options.suppressionSync,
  });
  return { ...services, cipher, logger, config };
}

/** A database TestDatabases can start (its id type is not exported). */
export type TestDatabaseId = Parameters<TestDatabases['init']>[0];

/** The services over a real store (SQLite or PostgreSQL) and a fake Postmark, as the unit tests use them. */
export async function createServiceFixture(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options?: { onProvidersChanged?: ProviderChangeListener },
) {
  const knex = await databases.init(databaseId);
  const adapter = new FakePostmarkAdapter();
  adapter.serverTokens.add(SERVER_TOKEN);
  adapter.accountTokens.add(ACCOUNT_TOKEN);
  const services = await createEspServices({
    knex,
    providers: [registerProvider(adapter, postmarkProfile)],
    config: { providers: { postmark: { baseUrl: 'http://postmark.test' } } },
    onProvidersChanged: options?.onProvidersChanged,
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

/**
 * A routing configuration the fixture can save: only Postmark has an adapter
 * here, so only it can be the default, in the chain, or a rule's target.
 */
export function postmarkOnlyRouting(
  rules: RoutingConfigInput['rules'],
  overrides: Partial<RoutingConfigInput> = {},
): RoutingConfigInput {
  const base = defaultRoutingConfig();
  return {
    ...base,
    defaultProvider: 'postmark',
    failover: { ...base.failover, chain: ['postmark'] },
    rules,
    ...overrides,
  };
}

/**
 * Saves the built-in SMTP relay pointed at a local sink (an smtp-server on
 * `port`), without TLS or login: the fallback the send-path tests fail over to.
 */
export async function saveSmtpSink(
  configs: {
    saveConfig(id: 'smtp', input: unknown, actor: string): Promise<unknown>;
  },
  port: number,
  actor = 'user:default/admin',
): Promise<void> {
  await configs.saveConfig(
    'smtp',
    {
      host: '127.0.0.1',
      port,
      tls: 'none',
      username: null,
      defaultSender: 'noreply@example.com',
      timeoutSeconds: 5,
    },
    actor,
  );
}
