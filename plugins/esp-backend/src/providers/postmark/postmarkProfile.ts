import {
  PostmarkConfigInput,
  postmarkConfigInputSchema,
  PostmarkConfigView,
} from '@internal/plugin-esp-common';
import {
  POSTMARK_DASHBOARD_URL,
  POSTMARK_SECRETS,
  PostmarkSettings,
  postmarkSettingsFromInput,
  readPostmarkSettings,
} from './postmarkSettings';
import type { ProviderProfile } from '../ProviderProfile';

export const postmarkProfile: ProviderProfile<
  PostmarkSettings,
  PostmarkConfigInput,
  PostmarkConfigView
> = {
  id: 'postmark',
  inputSchema: postmarkConfigInputSchema,
  secrets: [
    { name: POSTMARK_SECRETS.serverToken, label: 'API token', required: true },
    {
      name: POSTMARK_SECRETS.accountToken,
      label: 'account token',
      required: false,
    },
  ],
  readSettings: readPostmarkSettings,
  settingsFromInput: postmarkSettingsFromInput,
  secretChanges: input => ({
    serverToken: input.serverToken,
    accountToken: input.accountToken,
  }),
  timeoutSeconds: settings => settings.advanced.timeoutSeconds,
  connection: (settings, secrets, baseUrls) => ({
    apiKey: secrets.serverToken,
    ...(secrets.accountToken ? { accountToken: secrets.accountToken } : {}),
    baseUrl: baseUrls.postmark,
    timeoutSeconds: settings.advanced.timeoutSeconds,
  }),
  senderToCheck: settings => settings.defaultSender,
  sendDefaults: settings =>
    settings.defaultSender
      ? {
          from: settings.defaultSender,
          stream: settings.advanced.messageStream,
          trackOpens: settings.tracking.trackOpens,
          trackLinks: settings.tracking.trackLinks,
        }
      : 'Set a default sender before sending a test email',
  async extraSaveChecks(adapter, conn, input) {
    // A new account token is only useful if it can manage domains: check it now
    // rather than on the first visit to the domain table.
    if (input.accountToken && adapter.listDomains) {
      await adapter.listDomains(conn);
    }
  },
  domainsUnavailableReason: conn =>
    // Postmark manages domains with the account token; the server token cannot.
    conn.accountToken
      ? null
      : 'Add a Postmark account token to manage domains.',
  view: (settings, { common, secrets, sender }) => ({
    providerId: 'postmark',
    ...common,
    serverToken: secrets.serverToken,
    accountToken: secrets.accountToken,
    defaultSender: settings.defaultSender,
    defaultSenderStatus: sender.status,
    defaultSenderDetail: sender.detail,
    tracking: settings.tracking,
    advanced: settings.advanced,
    dashboardUrl: POSTMARK_DASHBOARD_URL,
  }),
};
