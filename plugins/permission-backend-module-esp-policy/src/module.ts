import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { EspAdminPolicy } from './EspAdminPolicy';

/**
 * The portal's permission policy: ESP Hub permissions for `esp.admins`, everything
 * else allowed as before.
 * @public
 */
export const permissionModuleEspPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'esp-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, logger, userInfo, policy }) {
        const admins = config.getOptionalStringArray('esp.admins') ?? [];
        if (admins.length === 0) {
          logger.warn(
            'esp.admins is empty: nobody can open the ESP Hub settings until it names a user or group',
          );
        }
        // Absent: every signed-in user may see the providers' status in the catalog.
        const statusReaders =
          config.getOptionalStringArray('esp.statusReaders');
        policy.setPolicy(
          new EspAdminPolicy(admins, userInfo, { statusReaders }),
        );
      },
    });
  },
});
