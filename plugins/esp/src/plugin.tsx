import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import MailOutlineIcon from '@material-ui/icons/MailOutline';
import { EspClient, espApiRef } from './api';
import { ESP_BASE_PATH, rootRouteRef } from './routes';

const espApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: espApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EspClient({ discoveryApi, fetchApi }),
    }),
});

const espPage = PageBlueprint.make({
  params: {
    path: ESP_BASE_PATH,
    routeRef: rootRouteRef,
    title: 'Email Providers',
    icon: <MailOutlineIcon fontSize="inherit" />,
    loader: () => import('./components/EspPage').then(m => <m.EspPage />),
  },
});

/**
 * ESP Hub's admin pages.
 * @public
 */
export const espPlugin = createFrontendPlugin({
  pluginId: 'esp',
  title: 'Email Providers',
  icon: <MailOutlineIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [espApi, espPage],
});
