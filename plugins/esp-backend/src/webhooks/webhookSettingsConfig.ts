import type { Config } from '@backstage/config';
import type { WebhookProviderId } from '@internal/plugin-esp-common';

/**
 * The addresses Postmark sends webhooks from, as its support article "IPs
 * for firewalls" (postmarkapp.com/support/article/800-ips-for-firewalls,
 * section Webhooks) lists them. Postmark warns that they can change: the
 * list is a default of `esp.webhooks.postmark.ipAllowlist.ranges`.
 */
export const POSTMARK_WEBHOOK_IPS = [
  '3.134.147.250/32',
  '50.31.156.6/32',
  '50.31.156.77/32',
  '18.217.206.57/32',
];

/**
 * Mailgun publishes no list of the addresses its webhooks come from (its
 * published ranges are for sending mail), so none is made up here: the
 * signature is what proves a Mailgun webhook.
 */
export const MAILGUN_NO_PUBLISHED_IPS =
  'Mailgun does not publish the IP addresses its webhooks come from; the HMAC signature verifies each request.';

export type WebhookSettingsConfig = {
  /** Where the providers reach the backend: `esp.webhooks.publicBaseUrl`, else `backend.baseUrl`. */
  publicBaseUrl: string;
  /** Where the backend reaches its own receivers (the test action): `backend.baseUrl`. */
  internalBaseUrl: string;
  /** The port the backend listens on, which the firewall rules open. */
  listenPort: number;
  postmarkIpAllowlist: { enforce: boolean; ranges: string[] };
};

export function readWebhookSettingsConfig(
  config: Config,
): WebhookSettingsConfig {
  const backendBaseUrl =
    config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007';
  const publicBaseUrl = (
    config.getOptionalString('esp.webhooks.publicBaseUrl') ?? backendBaseUrl
  ).replace(/\/+$/, '');
  const listen = config.getOptional('backend.listen');
  const listenPort =
    (typeof listen === 'object' && listen !== null
      ? config.getOptionalNumber('backend.listen.port')
      : undefined) ??
    (Number(new URL(backendBaseUrl).port) || 7007);
  const allowlist = config.getOptionalConfig(
    'esp.webhooks.postmark.ipAllowlist',
  );
  return {
    publicBaseUrl,
    internalBaseUrl: backendBaseUrl.replace(/\/+$/, ''),
    listenPort,
    postmarkIpAllowlist: {
      enforce: allowlist?.getOptionalBoolean('enforce') ?? false,
      ranges: allowlist?.getOptionalStringArray('ranges') ?? [
        ...POSTMARK_WEBHOOK_IPS,
      ],
    },
  };
}

/** The receiver's URL for a provider, without credentials. */
export function receiverUrl(
  settings: Pick<WebhookSettingsConfig, 'publicBaseUrl'>,
  provider: WebhookProviderId,
): string {
  return `${settings.publicBaseUrl}/api/esp/webhooks/${provider}`;
}
