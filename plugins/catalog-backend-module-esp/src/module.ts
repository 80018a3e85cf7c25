import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { EspEntityProvider } from './provider/EspEntityProvider';

/**
 * The catalog's ESP Hub entity provider.
 * @public
 */
export const catalogModuleEspEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'esp-entity-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, catalog, ...deps }) {
        catalog.addEntityProvider(EspEntityProvider.fromConfig(config, deps));
      },
    });
  },
});
