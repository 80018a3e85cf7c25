import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { espPermissions } from '@internal/plugin-esp-common';
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
          usage,
          connections,
        } = await createEspServices({
          database,
          cipher,
          providers: createProviders(),
          config,
          logger,
          cache,
          // The catalog module listens, and reads the status again at once.
          onProvidersChanged: publishProviderChanges(deps.events, logger),
          // The admins hear when a provider's breaker opens and closes.
          notifications: deps.notifications,
          // Processed webhook events are published there (topic `esp`).
          events: deps.events,
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
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // Daily, on one replica: messages past esp.messages.retentionDays go.
        await retention.schedule(deps.scheduler);

        // The worker starts once the backend serves, and on shutdown stops
        // claiming, lets the batch in hand finish (or hands its lease back)
        // so that another replica carries on at once.
        deps.lifecycle.addStartupHook(() => {
          validationWorker.start();
          sendWorker.start();
        });
        deps.lifecycle.addShutdownHook(async () => {
          await Promise.all([validationWorker.stop(), sendWorker.stop()]);
          // Open SMTP connections of the send path.
          connections.closeSendingConnections();
        });
      },
    });
  },
});
