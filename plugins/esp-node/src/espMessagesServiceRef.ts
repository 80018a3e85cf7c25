import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { EspMessagesClient, EspMessagesService } from './EspMessagesClient';

/**
 * ESP Hub's send API for other backend plugins: declare it in `deps` and
 * call `send`. Each plugin gets its own client, calling with its own service
 * credentials.
 * @public
 */
export const espMessagesServiceRef = createServiceRef<EspMessagesService>({
  id: 'esp.messages',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      factory: ({ discovery, auth }) =>
        new EspMessagesClient({ discovery, auth }),
    }),
});
