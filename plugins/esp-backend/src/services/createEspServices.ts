import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { DatabaseAddressValidationStore } from '../database/DatabaseAddressValidationStore';
import { DatabaseMessageStore } from '../database/DatabaseMessageStore';
import { ProviderReconciler } from '../dispatch/ProviderReconciler';
import { SendDispatcher } from '../dispatch/SendDispatcher';
import { DatabaseProviderConfigStore } from '../database/DatabaseProviderConfigStore';
import { DatabaseRoutingStore } from '../database/DatabaseRoutingStore';
import type { SecretCipher } from '../lib/SecretCipher';
import type { RegisteredProvider } from '../providers/registry';
import { DatabaseJobQueue } from '../queue/DatabaseJobQueue';
import type { Clock } from '../queue/Clock';
import { JobWorker, JobWorkerOptions } from '../queue/JobWorker';
import type { ProviderChangeListener } from './ProviderChangeEvents';
import { ProviderConfigService } from './ProviderConfigService';
import { ProviderConnections } from './ProviderConnections';
import { CacheStore, ProviderListCache } from './ProviderListCache';
import { emailTypesByProvider } from '@internal/plugin-esp-common';
import type { MonthlyUsage } from './MonthlyUsage';
import { ProviderOperations } from './ProviderOperations';
import { ManualSettlement } from './messages/ManualSettlement';
import { MessageService, SEND_QUEUE } from './messages/MessageService';
import { RoutingService } from './RoutingService';
import {
  invalidateVerifiedDomains,
  ProviderStatusService,
  RoutedEmailTypes,
} from './ProviderStatusService';
import {
  ADDRESS_VALIDATION_QUEUE,
  AddressValidationJobs,
} from './validation/AddressValidationJobs';

export type EspServicesOptions = {
  database: DatabaseService;
  cipher: SecretCipher;
  providers: RegisteredProvider[];
  /** The root config; the providers read `esp.providers.*` from it. */
  config: Config;
  logger: LoggerService;
  cache: CacheStore;
  /**
   * Told after every provider change, once stored (the plugin publishes it on
   * the events service for the catalog), and after every routing save or
   * rollback (`change: 'routing'`, no provider id).
   */
  onProvidersChanged?: ProviderChangeListener;
  /** The email types routed to each provider (the routing service); none until plugged in. */
  routedEmailTypes?: RoutedEmailTypes;
  /** Timing of the list-validation worker (lease, polling, backoff). */
  validationWorker?: Omit<JobWorkerOptions, 'queue' | 'queueName' | 'logger'>;
  /** The job queue's time (tests move it to reach retries); the system's by default. */
  clock?: Clock;
  /** Timing of the send dispatcher's worker. */
  sendWorker?: Omit<JobWorkerOptions, 'queue' | 'queueName' | 'logger'>;
  /**
   * When a provider is asked whether it accepted a message whose send ended
   * without an answer, from the send (ProviderReconciler's default: 15 s to
   * 30 min); tests shorten it.
   */
  reconcileCheckDelaysMs?: number[];
  /** Sends per provider this month, for free quota and budget left; 0 until the send path records them. */
  monthlyUsage?: MonthlyUsage;
};

/**
 * The collaborators behind ESP Hub's routes, wired once so that the plugin,
 * the tests and the benchmarks all run the same graph. Nothing is started:
 * the plugin starts the worker once the backend serves.
 */
export async function createEspServices(options: EspServicesOptions) {
  const { database, cipher, providers, config, logger, cache } = options;
  const store = await DatabaseProviderConfigStore.create({ database });
  const validationStore = await DatabaseAddressValidationStore.create({
    database,
  });
  const jobQueue = await DatabaseJobQueue.create({
    database,
    clock: options.clock,
  });
  const validationWorker = new JobWorker({
    ...options.validationWorker,
    queue: jobQueue,
    queueName: ADDRESS_VALIDATION_QUEUE,
    logger: logger.child({ queue: ADDRESS_VALIDATION_QUEUE }),
  });
  // Everything between a provider id and a ready adapter call.
  const connections = new ProviderConnections({
    store,
    cipher,
    providers,
    config,
    logger,
  });
  const summaries = new ProviderListCache(cache, logger);
  const notifyChange: ProviderChangeListener = async event => {
    // A routing change leaves every provider's domains as they were.
    if (event.change !== 'routing') {
      await invalidateVerifiedDomains(cache, logger, event.providerId);
    }
    await options.onProvidersChanged?.(event);
  };
  const configs = new ProviderConfigService({
    store,
    connections,
    summaries,
    config,
    onChange: notifyChange,
  });
  const operations = new ProviderOperations(connections, async providerId => {
    await summaries.invalidate();
    await notifyChange({ providerId, change: 'domains' });
  });
  const validations = new AddressValidationJobs({
    store: validationStore,
    connections,
    logger,
    worker: validationWorker,
  });
  const routing = new RoutingService({
    store: await DatabaseRoutingStore.create({ database }),
    providers: configs,
    usage: options.monthlyUsage,
    onSaved: () => notifyChange({ change: 'routing' }),
  });
  const status = new ProviderStatusService({
    store,
    connections,
    cache,
    logger,
    // The catalog tags each provider with the email types the saved routing sends through it.
    routedEmailTypes:
      options.routedEmailTypes ??
      (async () => emailTypesByProvider(await routing.get())),
  });
  const messageStore = await DatabaseMessageStore.create({ database });
  const sendWorker = new JobWorker({
    clock: options.clock,
    ...options.sendWorker,
    queue: jobQueue,
    queueName: SEND_QUEUE,
    logger: logger.child({ queue: SEND_QUEUE }),
  });
  const messages = new MessageService({
    store: messageStore,
    worker: sendWorker,
  });
  const settlement = new ManualSettlement({ store: messageStore, messages });
  const reconciler = new ProviderReconciler({
    now: options.clock,
    store: messageStore,
    worker: sendWorker,
    connections,
    messages,
    logger: logger.child({ queue: SEND_QUEUE }),
    checkDelaysMs: options.reconcileCheckDelaysMs,
  });
  reconciler.register(sendWorker);
  const dispatcher = new SendDispatcher({
    reconciler,
    now: options.clock,
    store: messageStore,
    routing,
    connections,
    logger: logger.child({ queue: SEND_QUEUE }),
  });
  dispatcher.register(sendWorker);
  return {
    store,
    jobQueue,
    messageStore,
    sendWorker,
    messages,
    dispatcher,
    reconciler,
    settlement,
    validationStore,
    connections,
    summaries,
    configs,
    operations,
    validations,
    validationWorker,
    status,
    notifyChange,
    routing,
  };
}
