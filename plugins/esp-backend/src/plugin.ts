import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { espPermissions } from '@internal/plugin-esp-common';
import { DatabaseAddressValidationStore } from './database/DatabaseAddressValidationStore';
import { DatabaseProviderConfigStore } from './database/DatabaseProviderConfigStore';
import { readProviderBaseUrls } from './lib/readProviderBaseUrls';
import { readSmtpPreset } from './providers/smtp/readSmtpPreset';
import { readSecretKeys } from './lib/readSecretKeys';
import { SecretCipher } from './lib/SecretCipher';
import { createProviderAdapters } from './providers/registry';
import { createRouter } from './routes/providerRoutes';
import { ProviderConfigService } from './services/ProviderConfigService';
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
        const service = new ProviderConfigService({
          store,
          cipher,
          adapters: createProviderAdapters(),
          baseUrls: readProviderBaseUrls(config),
          presets: { smtp: readSmtpPreset(config) },
          cache,
          logger,
          validationStore,
        });

        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            auditor: deps.auditor,
            service,
            logger,
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
          fn: () => service.resumeAddressValidations(),
        });
        deps.lifecycle.addShutdownHook(() => service.stopAddressValidations());
      },
    });
  },
});
