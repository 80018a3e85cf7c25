import { Config } from '@backstage/config';
import type { ConfigurableProviderId } from '@internal/plugin-esp-common';
import type { ProviderBaseUrls } from '../providers/profiles';

const DEFAULT_BASE_URLS: Record<ConfigurableProviderId, string> = {
  postmark: 'https://api.postmarkapp.com',
  mailgun: 'https://api.mailgun.net',
  // SMTP has no HTTP API; its host and port are part of the stored settings.
  smtp: '',
};

/**
 * Reads `esp.providers.<id>.baseUrl`, falling back to each provider's public API.
 * Config (not the database) holds these because they are deployment facts: a
 * proxy, the local sandbox or a test server, never something an admin edits.
 */
export function readProviderBaseUrls(config: Config): ProviderBaseUrls {
  const read = (id: ConfigurableProviderId) =>
    (
      config.getOptionalString(`esp.providers.${id}.baseUrl`) ??
      DEFAULT_BASE_URLS[id]
    ).replace(/\/+$/, '');
  return {
    postmark: read('postmark'),
    mailgun: read('mailgun'),
    mailgunEu: (
      config.getOptionalString('esp.providers.mailgun.euBaseUrl') ??
      'https://api.eu.mailgun.net'
    ).replace(/\/+$/, ''),
    smtp: DEFAULT_BASE_URLS.smtp,
  };
}
