import { createRouteRef } from '@backstage/frontend-plugin-api';

export const rootRouteRef = createRouteRef();

/** The settings routes, relative to the plugin page, exactly as the spec names them. */
export const ESP_SECTIONS = [
  { path: '', title: 'Overview' },
  { path: 'postmark', title: 'Postmark' },
  { path: 'mailgun', title: 'Mailgun' },
  // Not one of the spec's six routes: the built-in relay needs a settings page too.
  { path: 'smtp', title: 'Built-in SMTP' },
  { path: 'routing', title: 'Routing' },
  { path: 'webhooks', title: 'Webhooks' },
  { path: 'analytics', title: 'Analytics' },
] as const;

export const ESP_BASE_PATH = '/dashboard/settings/integrations/esp';
