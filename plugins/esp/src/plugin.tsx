import {
  ApiBlueprint,
  coreExtensionData,
  createFrontendPlugin,
  discoveryApiRef,
  ExtensionDefinition,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import MailOutlineIcon from '@material-ui/icons/MailOutline';
import { EspClient, espApiRef } from './api';
import { isEspProviderEntity } from './components/EspEntityCard/isEspProviderEntity';
import { UnknownSectionNotFound } from './components/UnknownSectionNotFound';
import {
  ESP_BASE_PATH,
  ESP_SECTIONS,
  EspSectionName,
  rootRouteRef,
} from './routes';

const espApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: espApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EspClient({ discoveryApi, fetchApi }),
    }),
});

/** What each tab renders; loaded on first visit. */
const LOADERS: Record<EspSectionName, () => Promise<JSX.Element>> = {
  overview: () =>
    import('./components/OverviewPage').then(m => <m.OverviewSection />),
  postmark: () =>
    import('./components/PostmarkConfigPage').then(m => (
      <m.PostmarkConfigPage />
    )),
  mailgun: () =>
    import('./components/MailgunConfigPage').then(m => <m.MailgunConfigPage />),
  smtp: () =>
    import('./components/SmtpConfigPage').then(m => <m.SmtpConfigPage />),
  routing: () =>
    import('./components/RoutingPage').then(m => <m.RoutingPage />),
  messages: () =>
    import('./components/MessagesPage').then(m => <m.MessagesPage />),
  webhooks: () =>
    import('./components/WebhooksPage').then(m => <m.WebhooksPage />),
  analytics: () =>
    import('./components/AnalyticsPage').then(m => <m.AnalyticsPage />),
};

// The parent page has no loader: its sub-pages become the header tabs, which are
// the spec's "settings layout with sidebar navigation". Its own path opens the
// first tab; a path below it that no tab claims gets "not found" under the
// tabs rather than an empty page.
const espPage = PageBlueprint.makeWithOverrides({
  *factory(originalFactory) {
    const page = originalFactory({
      path: ESP_BASE_PATH,
      routeRef: rootRouteRef,
      title: 'ESP Hub',
      icon: <MailOutlineIcon fontSize="inherit" />,
    });
    for (const output of page) {
      if (output.id === coreExtensionData.reactElement.id) {
        yield coreExtensionData.reactElement(
          <UnknownSectionNotFound>
            {output.value as JSX.Element}
          </UnknownSectionNotFound>,
        );
      } else {
        yield output;
      }
    }
  },
});

// Every tab sits in the same frame, so each one is admin-only on its own: a
// deep link to any tab gets the same guard.
const espSubPages = ESP_SECTIONS.map(section =>
  SubPageBlueprint.make({
    name: section.name,
    params: {
      path: section.path,
      title: section.title,
      loader: () =>
        Promise.all([
          import('./components/EspSection'),
          LOADERS[section.name](),
        ]).then(([{ EspSection }, element]) => (
          <EspSection>{element}</EspSection>
        )),
    },
  }),
);

// On the catalog page of each provider's entity (made by the catalog module):
// its status for everyone who may read it, the settings link for admins.
const espEntityCard: ExtensionDefinition = EntityCardBlueprint.make({
  name: 'provider-status',
  params: {
    filter: isEspProviderEntity,
    loader: () =>
      import('./components/EspEntityCard').then(m => <m.EspEntityCard />),
  },
});

/**
 * ESP Hub's admin pages, and the card on the providers' catalog pages.
 * @public
 */
export const espPlugin = createFrontendPlugin({
  pluginId: 'esp',
  title: 'ESP Hub',
  icon: <MailOutlineIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [espApi, espPage, ...espSubPages, espEntityCard],
});
