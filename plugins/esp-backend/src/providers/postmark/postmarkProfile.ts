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
import { ProviderError } from '../errors';
import { ProviderProfile, readBaseUrl } from '../ProviderProfile';
import type { ProviderAdapter } from '../types';
import type { PostmarkConnection } from './PostmarkAdapter';

/** Deployment facts for Postmark from app-config. */
export type PostmarkEndpoints = { baseUrl: string };

// Postmark's stream types; inbound streams receive mail and cannot send it.
const SENDING_STREAM_TYPES = ['Transactional', 'Broadcasts'];

/**
 * Refuses a message stream the server does not have or that cannot send, so
 * the save fails with the field named instead of every later email failing.
 */
async function requireSendingStream(
  adapter: ProviderAdapter<PostmarkConnection>,
  conn: PostmarkConnection,
  streamId: string,
): Promise<void> {
  if (!adapter.listMessageStreams) return;
  const streams = await adapter.listMessageStreams(conn);
  const stream = streams.find(s => s.id === streamId);
  const sending = streams.filter(s => SENDING_STREAM_TYPES.includes(s.type));
  const choices = sending.map(s => `"${s.id}"`).join(', ');
  if (!stream) {
    throw new ProviderError(
      'rejected',
      `Message Stream: the Postmark server has no stream "${streamId}"${
        choices ? `; choose one of ${choices}` : ''
      }`,
    );
  }
  if (!SENDING_STREAM_TYPES.includes(stream.type)) {
    throw new ProviderError(
      'rejected',
      `Message Stream: "${streamId}" is an ${
        stream.type
      } stream, which receives mail and cannot send it${
        choices ? `; choose one of ${choices}` : ''
      }`,
    );
  }
}

export const postmarkProfile: ProviderProfile<
  PostmarkSettings,
  PostmarkConfigInput,
  PostmarkConfigView,
  PostmarkConnection,
  PostmarkEndpoints
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
  readEndpoints: config => ({
    baseUrl: readBaseUrl(
      config,
      'esp.providers.postmark.baseUrl',
      'https://api.postmarkapp.com',
    ),
  }),
  readSettings: readPostmarkSettings,
  settingsFromInput: postmarkSettingsFromInput,
  secretChanges: input => ({
    serverToken: input.serverToken,
    accountToken: input.accountToken,
  }),
  connection: (settings, secrets, endpoints) => ({
    serverToken: secrets.serverToken,
    ...(secrets.accountToken ? { accountToken: secrets.accountToken } : {}),
    baseUrl: endpoints.baseUrl,
    timeoutSeconds: settings.advanced.timeoutSeconds,
    batchSize: settings.advanced.batchSize,
    messageStream: settings.advanced.messageStream,
  }),
  senderToCheck: settings => settings.defaultSender,
  sendDefaults: settings =>
    settings.defaultSender
      ? {
          from: settings.defaultSender,
          trackOpens: settings.tracking.trackOpens,
          trackLinks: settings.tracking.trackLinks,
        }
      : 'Set a default sender before sending a test email',
  async extraSaveChecks(adapter, conn, input) {
    await requireSendingStream(adapter, conn, input.advanced.messageStream);
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
