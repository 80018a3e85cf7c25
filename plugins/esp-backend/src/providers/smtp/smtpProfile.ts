import { ConflictError, InputError } from '@backstage/errors';
import {
  SmtpConfigInput,
  smtpConfigInputSchema,
  SmtpConfigView,
  SmtpTlsMode,
} from '@internal/plugin-esp-common';
import type { ProviderProfile } from '../ProviderProfile';
import type { SmtpConnection } from './SmtpAdapter';
import { readSmtpPreset } from './readSmtpPreset';
import { readSmtpSettings, relayOf, SmtpSettings } from './smtpSettings';

function loginInClear(settings: {
  username: string | null;
  tls: SmtpTlsMode;
}): boolean {
  return Boolean(settings.username) && settings.tls === 'none';
}

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
  settingsFromInput: input => {
    // A username means a login, and without TLS the password would cross the
    // network in clear text. The development sink has no login, so it is not hit.
    if (loginInClear(input)) {
      throw new InputError(
        'TLS Mode: Use STARTTLS or TLS to send a password; with TLS "none" the login would travel unencrypted',
      );
    }
    return {
      host: input.host,
      port: input.port,
      tls: input.tls,
      username: input.username || null,
      defaultSender: input.defaultSender,
      timeoutSeconds: input.timeoutSeconds,
    };
  },
  secretChanges: input => ({ password: input.password }),
  connection: (settings, secrets) => {
    // A relay saved before saves refused this is not used until it is fixed.
    if (loginInClear(settings)) {
      throw new ConflictError(
        'The stored Built-in SMTP relay would send its password without TLS: choose STARTTLS or TLS and save again',
      );
    }
    return {
      relay: relayOf(settings),
      ...(secrets.password ? { password: secrets.password } : {}),
      timeoutSeconds: settings.timeoutSeconds,
    };
  },
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
