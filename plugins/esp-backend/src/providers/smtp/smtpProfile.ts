import {
  SmtpConfigInput,
  smtpConfigInputSchema,
  SmtpConfigView,
} from '@internal/plugin-esp-common';
import type { ProviderProfile } from '../ProviderProfile';
import type { SmtpConnection } from './SmtpAdapter';
import { readSmtpPreset } from './readSmtpPreset';
import { readSmtpSettings, relayOf, SmtpSettings } from './smtpSettings';

export const smtpProfile: ProviderProfile<
  SmtpSettings,
  SmtpConfigInput,
  SmtpConfigView,
  SmtpConnection,
  void
> = {
  id: 'smtp',
  inputSchema: smtpConfigInputSchema,
  // A relay may accept mail without authentication, so the password is optional.
  secrets: [{ name: 'password', label: 'password', required: false }],
  // The relay's host and port are stored settings, not deployment facts.
  readEndpoints: () => undefined,
  readPreset: readSmtpPreset,
  readSettings: readSmtpSettings,
  settingsFromInput: input => ({
    host: input.host,
    port: input.port,
    tls: input.tls,
    username: input.username || null,
    defaultSender: input.defaultSender,
    timeoutSeconds: input.timeoutSeconds,
  }),
  secretChanges: input => ({ password: input.password }),
  connection: (settings, secrets) => ({
    relay: relayOf(settings),
    ...(secrets.password ? { password: secrets.password } : {}),
    timeoutSeconds: settings.timeoutSeconds,
  }),
  senderToCheck: () => null,
  sendDefaults: settings =>
    settings.defaultSender
      ? { from: settings.defaultSender }
      : 'Set a default sender before sending a test email',
  view: (settings, { common, secrets }) => ({
    providerId: 'smtp',
    ...common,
    host: settings.host,
    port: settings.port,
    tls: settings.tls,
    username: settings.username,
    password: secrets.password,
    defaultSender: settings.defaultSender,
    timeoutSeconds: settings.timeoutSeconds,
  }),
};
