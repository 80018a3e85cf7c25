import {
  ApiBlueprint,
  coreExtensionData,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import MailOutlineIcon from '@material-ui/icons/MailOutline';
import { EspClient, espApiRef } from './api';
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

const comingSoon = (title: string, description: string) => () =>
  import('./components/ComingSoonPage').then(m => (
    <m.ComingSoonPage title={title} description={description} />
  ));

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
  webhooks: comingSoon(
    'Webhooks',
    'Webhook endpoints, event subscriptions and delivery logs arrive in a later release.',
  ),
  analytics: comingSoon(
    'ESP analytics',
    'Provider comparison and deliverability metrics arrive once delivery events are recorded.',
  ),
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

/**
 * ESP Hub's admin pages.
 * @public
 */
export const espPlugin = createFrontendPlugin({
  pluginId: 'esp',
  title: 'ESP Hub',
  icon: <MailOutlineIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [espApi, espPage, ...espSubPages],
});
