import {
  MailgunConfigInput,
  mailgunConfigInputSchema,
  MailgunConfigView,
  MailgunRegion,
} from '@internal/plugin-esp-common';
import { ProviderProfile, readBaseUrl } from '../ProviderProfile';
import type { MailgunConnection } from './MailgunAdapter';
import {
  MailgunSettings,
  mailgunSettingsFromInput,
  readMailgunSettings,
} from './mailgunSettings';

/** Deployment facts for Mailgun from app-config: each region has its own API host. */
export type MailgunEndpoints = Record<MailgunRegion, string>;

const DASHBOARD_URL = 'https://app.mailgun.com/';

export const mailgunProfile: ProviderProfile<
  MailgunSettings,
  MailgunConfigInput,
  MailgunConfigView,
  MailgunConnection,
  MailgunEndpoints
> = {
  id: 'mailgun',
  inputSchema: mailgunConfigInputSchema,
  secrets: [{ name: 'apiKey', label: 'API key', required: true }],
  readEndpoints: config => ({
    us: readBaseUrl(
      config,
      'esp.providers.mailgun.baseUrl',
      'https://api.mailgun.net',
    ),
    eu: readBaseUrl(
      config,
      'esp.providers.mailgun.euBaseUrl',
      'https://api.eu.mailgun.net',
    ),
  }),
  readSettings: readMailgunSettings,
  settingsFromInput: mailgunSettingsFromInput,
  secretChanges: input => ({ apiKey: input.apiKey }),
  connection: (settings, secrets, endpoints) => ({
    apiKey: secrets.apiKey,
    baseUrl: endpoints[settings.region],
    region: settings.region,
    timeoutSeconds: settings.advanced.timeoutSeconds,
    batchSize: settings.advanced.batchSize,
    testMode: settings.advanced.testMode,
    dkimSigning: settings.tracking.dkimSigning,
    ...(settings.domain ? { domain: settings.domain } : {}),
  }),
  regionOf: settings => settings.region,
  // Mailgun verifies domains, not addresses: the sending domain is what must be active.
  senderToCheck: settings =>
    settings.domain ? `postmaster@${settings.domain}` : null,
  // Automatic unsubscribe links are a setting of the Mailgun domain, not of a
  // message: the save applies it there once the key and domain checked out.
  providerSettings: settings => [
    {
      failure: `Automatic unsubscribe links could not be turned ${
        settings.tracking.autoUnsubscribe ? 'on' : 'off'
      } for ${settings.domain}`,
      apply: async (adapter, conn) => {
        await adapter.setUnsubscribeTracking?.(
          conn,
          settings.tracking.autoUnsubscribe,
        );
      },
    },
  ],
  tagsFor: (settings, tags) =>
    tags.map(tag =>
      tag.startsWith(settings.advanced.tagPrefix)
        ? tag
        : `${settings.advanced.tagPrefix}${tag}`,
    ),
  sendsInTestMode: settings => settings.advanced.testMode,
  sendDefaults: settings =>
    settings.domain
      ? {
          from: `ESP Hub <noreply@${settings.domain}>`,
          trackOpens: settings.tracking.trackOpens,
          trackLinks: settings.tracking.trackClicks,
        }
      : 'Set a sending domain before sending a test email',
  view: (settings, { common, secrets, sender }) => ({
    providerId: 'mailgun',
    ...common,
    apiKey: secrets.apiKey,
    domain: settings.domain,
    domainStatus: sender.status,
    domainDetail: sender.detail,
    region: settings.region,
    tracking: settings.tracking,
    advanced: settings.advanced,
    dashboardUrl: DASHBOARD_URL,
  }),
};
