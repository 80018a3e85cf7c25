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
import {
  defaultRoutingConfig,
  emailTypesByProvider,
  RoutingConfig,
} from '@internal/plugin-esp-common';
import { DatabaseProviderUsageStore } from '../database/DatabaseProviderUsageStore';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { ProviderAlerts } from '../health/ProviderAlerts';
import { DatabaseBreakerStore } from '../database/DatabaseBreakerStore';
import { CircuitBreakers } from '../health/CircuitBreakers';
import { HealthObserver } from '../health/HealthObserver';
import { DatabaseMessageRetention } from '../database/DatabaseMessageRetention';
import { MessageRetention } from '../health/MessageRetention';
import {
  readBreakerThresholds,
  readRetentionDays,
} from '../health/readHealthConfig';
import { withActivity } from '../health/providerActivity';
import { AnalyticsService } from '../analytics/AnalyticsService';
import { DatabaseAnalyticsReadStore } from '../analytics/DatabaseAnalyticsReadStore';
import type { EventsService } from '@backstage/plugin-events-node';
import { EventProcessor } from '../webhooks/EventProcessor';
import type { SuppressionSync } from '../webhooks/SuppressionSync';
import { WebhookReplay } from '../webhooks/WebhookReplay';
import type { WebhookEventStore } from '../webhooks/WebhookEventStore';
import { eventIdentity } from '../webhooks/eventIdentity';
import { webhookEventView } from '../webhooks/webhookEventViews';
import type { WebhookEventProcessor } from '../webhooks/WebhookEventProcessor';
import { UsageCounters } from '../health/UsageCounters';
import type { SummaryActivity } from './ProviderConfigService';
import { ProviderOperations } from './ProviderOperations';
import { ManualSettlement } from './messages/ManualSettlement';
import { MessageService, SEND_QUEUE } from './messages/MessageService';
import { RoutingService } from './RoutingService';
import {
  invalidateVerifiedDomains,
  ProviderStatusService,
  RoutedEmailTypes,
} from './ProviderStatusService';
import { DatabaseWebhookSettingsStore } from '../database/DatabaseWebhookSettingsStore';
import type { WebhookActivitySource } from '../webhooks/webhookActivity';
import { readWebhookSettingsConfig } from '../webhooks/webhookSettingsConfig';
import { WebhookSettingsService } from '../webhooks/WebhookSettingsService';
import { ProviderSuppressionSync } from '../webhooks/ProviderSuppressionSync';
import { StoredEventLookup, WebhookTester } from '../webhooks/WebhookTester';
import {
  createWebhookIngest,
  WebhookIngestOptions,
} from '../webhooks/createWebhookIngest';
import { AnalyticsRollup } from '../analytics/AnalyticsRollup';
import { DatabaseAnalyticsRollupStore } from '../analytics/DatabaseAnalyticsRollupStore';
import type { SignalsService } from '@backstage/plugin-signals-node';
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
   * How long an analytics answer is cached (`esp.analytics.cache.ttl`, in
   * milliseconds); 15 minutes by default.
   */
  analyticsCacheTtlMs?: number;
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
  /** Where the admins hear of a provider going down and recovering; nobody is told without it. */
  notifications?: NotificationService;
  /**
   * When a provider is asked whether it accepted a message whose send ended
   * without an answer, from the send (ProviderReconciler's default: 15 s to
   * 30 min); tests shorten it.
   */
  reconcileCheckDelaysMs?: number[];
  /**
   * Webhook ingest: secrets, signals and worker timing (see
   * createWebhookIngest). With the secrets, events are processed by ESP
   * Hub's event processor unless `processor` names another, or is null: then
   * events are stored and their jobs wait for a replica that processes.
   */
  webhooks?: Pick<WebhookIngestOptions, 'secrets' | 'signals' | 'worker'> & {
    processor?: WebhookEventProcessor | null;
  };
  /** Where processed webhook events are published (topic `esp`). */
  events?: EventsService;
  /** Keeps the providers' suppression lists in step with ESP Hub's. */
  suppressionSync?: SuppressionSync;
  /** The webhook event store's counts for the endpoints view (ingest's store). */
  webhookActivity?: WebhookActivitySource;
  /** Reads back the event the receiver stored for a test webhook (ingest's store); none without it. */
  webhookEventLookup?: StoredEventLookup;
  /** Where the analytics rollup tells open analytics pages of new figures. */
  analyticsSignals?: SignalsService;
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
  // Sends per provider and day: free quotas, budget caps, the overview's figures.
  const usage = new UsageCounters({
    store: await DatabaseProviderUsageStore.create({ database }),
  });
  // Shared by every replica; the admins' alerts are plugged in by the plugin.
  const breakers = new CircuitBreakers({
    store: await DatabaseBreakerStore.create({ database }),
    thresholds: readBreakerThresholds(config),
    logger: logger.child({ component: 'circuit-breakers' }),
    now: options.clock,
    ...(options.notifications
      ? {
          transitions: new ProviderAlerts({
            notifications: options.notifications,
            config,
            logger,
          }),
        }
      : {}),
  });
  const messageStore = await DatabaseMessageStore.create({ database });
  // The analytics page's answers and the overview's quick stats, from the
  // rollups only.
  const analytics = new AnalyticsService({
    store: await DatabaseAnalyticsReadStore.create({ database }),
    cache,
    cacheTtlMs: options.analyticsCacheTtlMs,
    logger: logger.child({ component: 'analytics' }),
  });
  // Set once the routing service exists: the overview asks it for the fallback.
  let routingInForce: () => Promise<RoutingConfig> = async () =>
    defaultRoutingConfig();
  const activity: SummaryActivity = async list => {
    const now = new Date();
    const [figures, open, routingConfig, quickStats] = await Promise.all([
      usage.figures(now),
      breakers.current(),
      routingInForce(),
      analytics.overview(now),
    ]);
    const facts = {
      figures,
      breakers: open,
      routing: routingConfig,
      now,
      quickStats,
    };
    return list.map(summary => withActivity(summary, facts, list));
  };
  let ingestStore = (): WebhookEventStore => {
    throw new Error('The webhook event store is not built yet');
  };
  // Keeps the providers' suppression lists in step with ESP Hub's.
  const suppressionSync =
    options.suppressionSync ??
    new ProviderSuppressionSync({
      connections,
      logger: logger.child({ component: 'suppression-sync' }),
    });
  // Webhook subscriptions and secrets; registered at a provider once it is configured.
  const webhookConfig = readWebhookSettingsConfig(config);
  const webhookSettings = new WebhookSettingsService({
    store: await DatabaseWebhookSettingsStore.create({ database }),
    providerConfigs: store,
    connections,
    cipher,
    config: webhookConfig,
    logger: logger.child({ component: 'webhook-settings' }),
    // The ingest's event store, built further down; tests may give their own.
    activity: options.webhookActivity ?? {
      activity: since => ingestStore().activity(since),
      rejectedSince: since => ingestStore().rejectedSince(since),
    },
  });
  const notifyChange: ProviderChangeListener = async event => {
    // A routing change leaves every provider's domains as they were.
    if (event.change !== 'routing') {
      await invalidateVerifiedDomains(cache, logger, event.providerId);
    }
    if (
      event.change === 'provider-config' &&
      (event.providerId === 'postmark' || event.providerId === 'mailgun')
    ) {
      // The save is stored already: a refusal is kept on the endpoints view.
      await webhookSettings
        .providerConfigured(event.providerId)
        .catch(error =>
          logger.warn(
            `Webhook registration after the ${event.providerId} save failed: ${error}`,
          ),
        );
    }
    await options.onProvidersChanged?.(event);
  };
  const configs = new ProviderConfigService({
    store,
    connections,
    summaries,
    config,
    onChange: notifyChange,
    withActivity: activity,
  });
  const operations = new ProviderOperations(
    connections,
    async providerId => {
      await summaries.invalidate();
      await notifyChange({ providerId, change: 'domains' });
    },
    async (providerId, at) => {
      // Test emails count for quotas and the Active badge (not in the
      // analytics, whose sent today counts messages); the catalog reads the
      // status again, as a first send makes the provider Active.
      await usage.recordSends([{ provider: providerId, at }]);
      await notifyChange({ providerId, change: 'sent' });
    },
  );
  const validations = new AddressValidationJobs({
    store: validationStore,
    connections,
    logger,
    worker: validationWorker,
  });
  const routing = new RoutingService({
    store: await DatabaseRoutingStore.create({ database }),
    providers: configs,
    usage,
    breakers,
    onSaved: () => notifyChange({ change: 'routing' }),
  });
  routingInForce = () => routing.currentConfig();
  const status = new ProviderStatusService({
    store,
    connections,
    cache,
    logger,
    // The catalog tags each provider with the email types the saved routing sends through it.
    routedEmailTypes:
      options.routedEmailTypes ??
      (async () => emailTypesByProvider(await routing.get())),
    withActivity: activity,
  });
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
    suppressionSync,
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
    attempts: new HealthObserver({ usage, breakers, logger }),
  });
  dispatcher.register(sendWorker);
  // The plugin schedules it daily; tests run it.
  const retention = new MessageRetention({
    store: await DatabaseMessageRetention.create({ database }),
    answers: messageStore,
    retentionDays: readRetentionDays(config),
    logger,
  });
  // What a stored webhook event does: message status, suppression, events.
  // Built once the providers' webhook settings (their subscriptions) are
  // given; tests may hand in a processor of their own.
  // The providers' webhook settings, unless a test gives other secrets.
  const webhookSecrets = options.webhooks?.secrets ?? webhookSettings;
  const webhookProcessor =
    options.webhooks?.processor === null
      ? undefined
      : options.webhooks?.processor ??
        (webhookSecrets
          ? new EventProcessor({
              messages: messageStore,
              secrets: webhookSecrets,
              logger: logger.child({ component: 'webhook-processing' }),
              events: options.events,
              suppressionSync,
            })
          : undefined);
  const webhooks = await createWebhookIngest({
    ...options.webhooks,
    secrets: webhookSecrets,
    processor: webhookProcessor,
    database,
    jobQueue,
    config,
    logger,
    clock: options.clock,
    notifications: options.notifications,
  });
  ingestStore = () => webhooks.webhookStore;
  // Analytics: the plugin schedules the rollup; tests and the bench run it.
  // Each message is costed at its provider's list price in the routing in
  // force when it is first rolled up.
  const analyticsRollup = new AnalyticsRollup({
    store: await DatabaseAnalyticsRollupStore.create({ database }),
    prices: async () => {
      const { providers: costs } = (await routing.currentConfig()).cost;
      return Object.fromEntries(
        Object.entries(costs).map(([id, c]) => [id, c?.pricePerEmail]),
      );
    },
    logger: logger.child({ component: 'analytics-rollup' }),
    signals: options.analyticsSignals,
  });
  // Replay enqueues on the same job type as newly received events.
  const webhookReplay = new WebhookReplay({
    events: webhooks.webhookStore,
    enqueue: ids => webhooks.webhookProcessing.enqueue(ids),
  });
  return {
    ...webhooks,
    webhookProcessor,
    webhookReplay,
    analytics,
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
    usage,
    breakers,
    retention,
    analyticsRollup,
    webhookSettings,
    webhookConfig,
    webhookTester: new WebhookTester({
      secrets: webhookSettings,
      receiverBaseUrl: webhookConfig.internalBaseUrl,
      // The event is about the latest message ESP Hub sent through the provider.
      recentMessage: async provider => {
        const [latest] = await messageStore.listMessages({
          provider,
          statuses: ['sent'],
          limit: 1,
        });
        return latest?.providerMessageId && latest.to[0]
          ? { email: latest.to[0], providerMessageId: latest.providerMessageId }
          : undefined;
      },
      findStoredEvent:
        options.webhookEventLookup ??
        (async (provider, payload, headers) => {
          const identity = eventIdentity(provider, payload, headers);
          if (!('providerEventId' in identity)) return null;
          const stored = await webhooks.webhookStore.findByProviderEventId(
            provider,
            identity.providerEventId,
          );
          return stored ? webhookEventView(stored) : null;
        }),
      postmarkStream: async () => {
        const stored = await store.get('postmark');
        const stream = (stored?.settings as any)?.advanced?.messageStream;
        return typeof stream === 'string' ? stream : 'outbound';
      },
    }),
    suppressionSync,
  };
}
