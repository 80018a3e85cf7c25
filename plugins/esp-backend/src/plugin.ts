import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { espPermissions } from '@internal/plugin-esp-common';
import { readAnalyticsConfig } from './analytics/readAnalyticsConfig';
import { readSecretKeys } from './lib/readSecretKeys';
import { SecretCipher } from './lib/SecretCipher';
import { createProviders } from './providers/registry';
import { exponentialBackoff } from './queue/backoff';
import { readQueueConfig } from './queue/readQueueConfig';
import { createRouter } from './routes/createRouter';
import { createEspServices } from './services/createEspServices';
import { publishProviderChanges } from './services/ProviderChangeEvents';
import { reencryptSecrets } from './services/reencryptSecrets';

/**
 * ESP Hub backend plugin.
 * @public
 */
export const espPlugin = createBackendPlugin({
  pluginId: 'esp',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, logger, database, cache, httpRouter } = deps;
        deps.permissionsRegistry.addPermissions(espPermissions);

        const cipher = new SecretCipher(readSecretKeys({ config, logger }));
        const {
          store,
          configs,
          operations,
          validations,
          validationWorker,
          status,
          routing,
          messages,
          settlement,
          sendWorker,
          retention,
          analyticsRollup,
          usage,
          connections,
          webhookStore,
          webhookReceiver,
          webhookWorker,
          webhookSignals,
          webhookReplay,
          webhookSettings,
          webhookConfig,
          webhookTester,
          analytics,
        } = await createEspServices({
          database,
          cipher,
          providers: createProviders(),
          config,
          logger,
          cache,
          // The catalog module listens, and reads the status again at once.
          onProvidersChanged: publishProviderChanges(deps.events, logger),
          // Processed webhook events go out on the events service (topic esp).
          events: deps.events,
          // The admins hear when a provider's breaker opens and closes.
          notifications: deps.notifications,
          // Open analytics pages reload when the rollup changed figures.
          analyticsSignals: deps.signals,
          // How long an analytics answer is cached (esp.analytics.cache.ttl).
          analyticsCacheTtlMs: readAnalyticsConfig(config).cacheTtlMs,
          validationWorker: {
            // A batch of five addresses takes seconds; a replica that stops
            // mid-batch hands it over within the minute.
            leaseMs: 60_000,
            pollIntervalMs: readQueueConfig(config).pollIntervalMs,
            shutdownGraceMs: 10_000,
            // 2 s, 4 s, 8 s, …: the five retries the settings allow at most span about a minute.
            backoff: exponentialBackoff({ initialMs: 2_000, maxMs: 60_000 }),
          },
          sendWorker: {
            // One send takes at most the provider's timeout (60 s at most);
            // the lease outlasts it, so a live send is never taken over.
            leaseMs: 120_000,
            concurrency: 8,
            pollIntervalMs: readQueueConfig(config).pollIntervalMs,
            shutdownGraceMs: 10_000,
          },
          webhooks: {
            // Open webhooks pages reload their list when events arrive.
            signals: deps.signals,
            // The secrets are the providers' webhook settings and the
            // processor ESP Hub's own, both built by createEspServices.
            worker: {
              // One event's processing is a few queries: a minute is ample.
              leaseMs: 60_000,
              concurrency: 8,
              pollIntervalMs: readQueueConfig(config).pollIntervalMs,
              shutdownGraceMs: 10_000,
              // 5 s, 10 s, 20 s, … up to 10 minutes over the attempts.
              backoff: exponentialBackoff({ initialMs: 5_000, maxMs: 600_000 }),
            },
          },
        });
        // After a key rotation, nothing stays sealed with a key about to go.
        await reencryptSecrets({
          store,
          cipher,
          logger,
          auditor: deps.auditor,
        });

        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            auditor: deps.auditor,
            configs,
            operations,
            validations,
            status,
            routing,
            usage,
            messages,
            settlement,
            webhookReceiver,
            webhookEvents: webhookStore,
            webhookReplay,
            webhookSettings: {
              service: webhookSettings,
              config: webhookConfig,
              tester: webhookTester,
            },
            analytics,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // The providers authenticate with a signature or Basic credentials
        // the receiver checks, not with Backstage tokens: these two paths only.
        if (webhookReceiver) {
          httpRouter.addAuthPolicy({
            path: '/webhooks/postmark',
            allow: 'unauthenticated',
          });
          httpRouter.addAuthPolicy({
            path: '/webhooks/mailgun',
            allow: 'unauthenticated',
          });
        }

        // Daily, on one replica: messages past esp.messages.retentionDays go.
        await retention.schedule(deps.scheduler);
        // Every esp.analytics.rollup.frequency, on one replica.
        await analyticsRollup.schedule(
          deps.scheduler,
          readAnalyticsConfig(config).rollupFrequency,
        );

        // The worker starts once the backend serves, and on shutdown stops
        // claiming, lets the batch in hand finish (or hands its lease back)
        // so that another replica carries on at once.
        deps.lifecycle.addStartupHook(() => {
          validationWorker.start();
          sendWorker.start();
          webhookWorker?.start();
        });
        deps.lifecycle.addShutdownHook(async () => {
          await Promise.all([
            validationWorker.stop(),
            sendWorker.stop(),
            webhookWorker?.stop(),
            webhookSignals?.stop(),
          ]);
          // Open SMTP connections of the send path.
          connections.closeSendingConnections();
        });
      },
    });
  },
});
