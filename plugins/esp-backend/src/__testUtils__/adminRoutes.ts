import { defaultRoutingConfig } from '@internal/plugin-esp-common';
import type { Router } from 'express';
import type { Route } from './routerFixture';
import { SERVER_TOKEN, validPostmarkInput } from './serviceFixture';

/**
 * One request per admin route, with a body that passes validation where the
 * route takes one. The auth tests iterate it, and `unlistedRoutes` makes sure
 * no route the router serves is missing from it.
 */
export const ADMIN_ROUTES: Route[] = [
  { method: 'get', path: '/providers' },
  { method: 'get', path: '/providers/postmark' },
  { method: 'post', path: '/providers/postmark', body: validPostmarkInput },
  {
    method: 'post',
    path: '/providers/postmark/credentials/validate',
    body: { apiKey: SERVER_TOKEN },
  },
  { method: 'post', path: '/providers/postmark/test' },
  {
    method: 'put',
    path: '/providers/postmark/enabled',
    body: { enabled: false },
  },
  { method: 'get', path: '/providers/postmark/message-streams' },
  { method: 'get', path: '/providers/postmark/domains' },
  {
    method: 'post',
    path: '/providers/postmark/domains',
    body: { name: 'mail.example.com' },
  },
  { method: 'get', path: '/providers/postmark/domains/1' },
  { method: 'post', path: '/providers/postmark/domains/1/verify' },
  { method: 'delete', path: '/providers/postmark/domains/1' },
  {
    method: 'post',
    path: '/providers/postmark/test-email',
    body: { to: 'admin@example.com' },
  },
  {
    method: 'post',
    path: '/providers/postmark/address-validations',
    body: { csv: 'email\na@example.com\n' },
  },
  { method: 'get', path: '/providers/postmark/address-validations/some-id' },
  {
    method: 'get',
    path: '/providers/postmark/address-validations/some-id/results.csv',
  },
  { method: 'get', path: '/providers/mailgun' },
  {
    method: 'post',
    path: '/providers/mailgun',
    body: { domain: 'mg.example.com', region: 'eu' },
  },
  { method: 'get', path: '/providers/smtp' },
  {
    method: 'post',
    path: '/providers/smtp',
    body: { host: 'relay.internal', port: 25 },
  },
  { method: 'get', path: '/routing' },
  { method: 'put', path: '/routing', body: defaultRoutingConfig() },
  { method: 'get', path: '/routing/versions' },
  { method: 'get', path: '/routing/volume' },
  { method: 'post', path: '/routing/versions/1/rollback' },
  {
    method: 'post',
    path: '/routing/explain',
    body: { message: { emailType: 'transactional', to: ['ada@example.com'] } },
  },
  { method: 'get', path: '/messages' },
  { method: 'get', path: '/suppressions' },
  { method: 'get', path: '/suppressions.csv' },
  {
    method: 'post',
    path: '/suppressions',
    body: { address: 'ada@example.com', reason: 'Asked to stop' },
  },
  { method: 'delete', path: '/suppressions/ada@example.com' },
  { method: 'post', path: '/messages/some-id/resend' },
  {
    method: 'post',
    path: '/messages/some-id/mark-sent',
    body: { providerMessageId: 'pm-123' },
  },
  // The analytics page (esp.analytics.read).
  { method: 'get', path: '/analytics' },
  { method: 'get', path: '/analytics/bounces.csv' },
];

/**
 * The webhooks page's routes: admins only, like the configuration routes.
 * Several sit under the receivers' paths, which the plugin opens to
 * unauthenticated callers (auth policies match by prefix), so each must
 * refuse an anonymous caller itself.
 */
export const WEBHOOK_ADMIN_ROUTES: Route[] = [
  { method: 'get', path: '/webhooks/endpoints' },
  {
    method: 'put',
    path: '/webhooks/postmark/subscriptions',
    body: { subscriptions: ['Delivery'] },
  },
  { method: 'post', path: '/webhooks/postmark/reveal' },
  { method: 'get', path: '/webhooks/firewall-rules?format=ufw' },
  {
    method: 'post',
    path: '/webhooks/test',
    body: { provider: 'mailgun', eventType: 'delivered' },
  },
  { method: 'get', path: '/webhooks/events' },
  { method: 'get', path: '/webhooks/events.csv' },
  { method: 'get', path: '/webhooks/events/some-id' },
  { method: 'post', path: '/webhooks/events/replay', body: { ids: ['x'] } },
  {
    method: 'put',
    path: '/providers/mailgun/webhook-signing-key',
    body: { signingKey: 'key-0123456789abcdef' },
  },
  { method: 'post', path: '/providers/mailgun/webhook-signing-key/fetch' },
];

/**
 * The second exception: the send API and a message's status, which other
 * backend plugins and internal services call with their service tokens. The
 * permission framework is asked for services too (external access tokens are
 * restricted to what their `accessRestrictions` name); see messageRoutes.test.ts.
 */
export const SEND_ROUTES: Route[] = [
  {
    method: 'post',
    path: '/messages',
    body: {
      to: ['ada@example.com'],
      subject: 'Hello',
      text: 'Hi',
      emailType: 'transactional',
    },
  },
  { method: 'get', path: '/messages/some-id' },
];

/**
 * The documented exception to "users only": the read-only status summary,
 * which the catalog module calls with its service token. A user still needs
 * `esp.status.read`. It holds nothing an admin alone may see (see
 * statusRoutes.test.ts), and these rows keep it from being mistaken for an
 * unlisted admin route.
 */
export const STATUS_ROUTES: Route[] = [
  { method: 'get', path: '/status' },
  { method: 'get', path: '/status/postmark' },
];

export type ServedRoute = { method: string; path: string };

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** Every method and path pattern an express router serves, sub-routers included. */
export function registeredRoutes(router: Router): ServedRoute[] {
  const walk = (stack: Layer[]): ServedRoute[] =>
    stack.flatMap(layer => {
      if (layer.route) {
        const { path, methods } = layer.route;
        return Object.keys(methods).map(method => ({ method, path }));
      }
      return layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  return walk((router as unknown as { stack: Layer[] }).stack);
}

function matches(pattern: string, path: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('/')
      .map(part =>
        part.startsWith(':') ? '[^/]+' : part.replace(/\./g, '\\.'),
      )
      .join('/')}$`,
  );
  return regex.test(path);
}

/** The served routes (except the unauthenticated health check) no table row exercises. */
export function unlistedRoutes(served: ServedRoute[]): ServedRoute[] {
  return served.filter(
    route =>
      route.path !== '/health' &&
      ![...ADMIN_ROUTES, ...STATUS_ROUTES, ...SEND_ROUTES].some(
        row => row.method === route.method && matches(route.path, row.path),
      ),
  );
}
