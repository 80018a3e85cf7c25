import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { espPermissions } from '@internal/plugin-esp-common';
import { DatabaseAddressValidationStore } from './database/DatabaseAddressValidationStore';
import { DatabaseProviderConfigStore } from './database/DatabaseProviderConfigStore';
import { readSecretKeys } from './lib/readSecretKeys';
import { SecretCipher } from './lib/SecretCipher';
import { createProviders } from './providers/registry';
import { createRouter } from './routes/createRouter';
import { ProviderConfigService } from './services/ProviderConfigService';
import { ProviderConnections } from './services/ProviderConnections';
import { ProviderListCache } from './services/ProviderListCache';
import { ProviderOperations } from './services/ProviderOperations';
import { reencryptSecrets } from './services/reencryptSecrets';
import { AddressValidationJobs } from './services/validation/AddressValidationJobs';

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
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const { config, logger, database, cache, httpRouter } = deps;
        deps.permissionsRegistry.addPermissions(espPermissions);

        const cipher = new SecretCipher(readSecretKeys({ config, logger }));
        const store = await DatabaseProviderConfigStore.create({ database });
        // After a key rotation, nothing stays sealed with a key about to go.
        await reencryptSecrets({
          store,
          cipher,
          logger,
          auditor: deps.auditor,
        });
        const validationStore = await DatabaseAddressValidationStore.create({
          database,
        });
        // Everything between a provider id and a ready adapter call.
        const connections = new ProviderConnections({
          store,
          cipher,
          providers: createProviders(),
          config,
          logger,
        });
        const summaries = new ProviderListCache(cache, logger);
        const configs = new ProviderConfigService({
          store,
          connections,
          summaries,
          config,
        });
        const operations = new ProviderOperations(connections, () =>
          summaries.invalidate(),
        );
        const validations = new AddressValidationJobs({
          store: validationStore,
          connections,
          logger,
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
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // A list validation whose backend stopped mid-way is taken over once its
        // lease runs out, by whichever replica looks first.
        await deps.scheduler.scheduleTask({
          id: 'esp-resume-address-validations',
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 10 },
          scope: 'local',
          fn: () => validations.resumeInterrupted(),
        });
        // On shutdown: finish the addresses in hand and hand the rest back.
        deps.lifecycle.addShutdownHook(() => validations.stop());
      },
    });
  },
});
