import {
  SMTP_DEFAULTS,
  SmtpConfigInput,
  smtpConfigInputSchema,
  SmtpConfigView,
  SmtpTlsMode,
} from '@internal/plugin-esp-common';
import { ConflictError, InputError } from '@backstage/errors';
import { z } from 'zod';
import type { ProviderProfile } from './ProviderProfile';

export type SmtpSettings = {
  host: string | null;
  port: number;
  tls: SmtpTlsMode;
  username: string | null;
  defaultSender: string | null;
  timeoutSeconds: number;
};

const storedSchema = z.object({
  host: z.string().nullable().optional().catch(null),
  port: z.number().int().optional().catch(undefined),
  tls: z.enum(['none', 'starttls', 'tls']).optional().catch(undefined),
  username: z.string().nullable().optional().catch(null),
  defaultSender: z.string().nullable().optional().catch(null),
  timeoutSeconds: z.number().int().optional().catch(undefined),
});

function readSmtpSettings(
  raw: Record<string, unknown> | undefined,
): SmtpSettings {
  const parsed = storedSchema.safeParse(raw ?? {});
  const stored = parsed.success ? parsed.data : {};
  return {
    host: stored.host ?? null,
    port: stored.port ?? SMTP_DEFAULTS.port,
    tls: stored.tls ?? SMTP_DEFAULTS.tls,
    username: stored.username ?? null,
    defaultSender: stored.defaultSender ?? null,
    timeoutSeconds: stored.timeoutSeconds ?? SMTP_DEFAULTS.timeoutSeconds,
  };
}

/**
 * The relay's address as the SMTP adapter reads it: `smtp://host:port?tls=…&user=…`.
 * The password travels as the connection's apiKey, never in the URL.
 */
export function smtpRelayUrl(settings: SmtpSettings): string {
  const query = new URLSearchParams({ tls: settings.tls });
  if (settings.username) query.set('user', settings.username);
  return `smtp://${settings.host ?? ''}:${settings.port}?${query}`;
}

function loginInClear(settings: {
  username: string | null;
  tls: SmtpTlsMode;
}): boolean {
  return Boolean(settings.username) && settings.tls === 'none';
}

export const smtpProfile: ProviderProfile<
  SmtpSettings,
  SmtpConfigInput,
  SmtpConfigView
> = {
  id: 'smtp',
  inputSchema: smtpConfigInputSchema,
  // A relay may accept mail without authentication, so the password is optional.
  secrets: [{ name: 'password', label: 'password', required: false }],
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
  timeoutSeconds: settings => settings.timeoutSeconds,
  connection: (settings, secrets) => {
    // A relay saved before saves refused this is not used until it is fixed.
    if (loginInClear(settings)) {
      throw new ConflictError(
        'The stored Built-in SMTP relay would send its password without TLS: choose STARTTLS or TLS and save again',
      );
    }
    return {
      apiKey: secrets.password ?? '',
      baseUrl: smtpRelayUrl(settings),
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
