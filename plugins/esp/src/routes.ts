import {
  createRouteRef,
  createSubRouteRef,
  SubRouteRef,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { ESP_HUB_PAGE_PATH } from '@internal/plugin-esp-common';

/** The plugin page itself; it opens on its first tab, the overview. */
export const rootRouteRef = createRouteRef();

/** Where the page is mounted; the catalog's entities link to the same path. */
export const ESP_BASE_PATH = ESP_HUB_PAGE_PATH;

/**
 * The settings tabs, relative to the plugin page, as the spec names them.
 *
 * Every tab needs a path of its own, the overview too: a tab's link is its
 * path, and the header's tabs (react-aria) treat an empty link as no link at
 * all, so an overview at '' could never be clicked back to from another tab.
 * The plugin page sends its own path on to the first tab, so
 * `/dashboard/settings/integrations/esp` still opens the overview.
 */
export const ESP_SECTIONS = [
  { name: 'overview', path: 'overview', title: 'Overview' },
  { name: 'postmark', path: 'postmark', title: 'Postmark' },
  { name: 'mailgun', path: 'mailgun', title: 'Mailgun' },
  // Not one of the spec's six routes: the built-in relay needs a settings page too.
  { name: 'smtp', path: 'smtp', title: 'Built-in SMTP' },
  { name: 'routing', path: 'routing', title: 'Routing' },
  // Not one of the spec's routes either: the message log of the send API.
  { name: 'messages', path: 'messages', title: 'Messages' },
  { name: 'webhooks', path: 'webhooks', title: 'Webhooks' },
  { name: 'analytics', path: 'analytics', title: 'Analytics' },
] as const;

export type EspSectionName = (typeof ESP_SECTIONS)[number]['name'];

/**
 * Each tab as a route below the plugin page, so that links between tabs are
 * resolved by the app (wherever it mounts the page) rather than put together
 * from strings.
 */
export const sectionRouteRefs = Object.fromEntries(
  ESP_SECTIONS.map(section => [
    section.name,
    createSubRouteRef({ parent: rootRouteRef, path: `/${section.path}` }),
  ]),
) as Record<EspSectionName, SubRouteRef<undefined>>;

/** The address of every tab, for links and navigation between them. */
export function useSectionPaths(): Record<EspSectionName, string> {
  const paths = {} as Record<EspSectionName, string>;
  // ESP_SECTIONS never changes, so the hooks run in the same order every render.
  for (const section of ESP_SECTIONS) {
    // eslint-disable-next-line react-hooks/rules-of-hooks
    paths[section.name] = useRouteRef(sectionRouteRefs[section.name])?.() ?? '';
  }
  return paths;
}

/** Whether a provider has a settings tab of its own. */
export function isSectionName(name: string): name is EspSectionName {
  return ESP_SECTIONS.some(section => section.name === name);
}
