import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { rootRouteRef } from './routes';

const espPage = PageBlueprint.make({
  params: {
    path: '/dashboard/settings/integrations/esp',
    routeRef: rootRouteRef,
    title: 'Email Providers',
    loader: () =>
      import('./components/EspPlaceholder').then(m => <m.EspPlaceholder />),
  },
});

/**
 * ESP Hub's admin pages.
 * @public
 */
export const espPlugin = createFrontendPlugin({
  pluginId: 'esp',
  title: 'Email Providers',
  routes: { root: rootRouteRef },
  extensions: [espPage],
});
