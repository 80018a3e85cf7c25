import {
  MAILGUN_DEFAULTS,
  MailgunAdvanced,
  MailgunConfigInput,
  mailgunConfigInputSchema,
  MailgunConfigView,
  MailgunRegion,
  MailgunTracking,
} from '@internal/plugin-esp-common';
import { z } from 'zod';
import type { ProviderProfile } from './ProviderProfile';

export type MailgunSettings = {
  domain: string | null;
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: MailgunAdvanced;
};

const DASHBOARD_URL = 'https://app.mailgun.com/';
const EU_DEFAULT = 'https://api.eu.mailgun.net';

// Lenient like the Postmark reader: an older or hand-edited row still loads.
const storedSchema = z.object({
  domain: z.string().nullable().optional().catch(null),
  region: z.enum(['us', 'eu']).optional().catch(undefined),
  tracking: z.record(z.string(), z.boolean()).optional().catch(undefined),
  advanced: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .catch(undefined),
});

function readMailgunSettings(
  raw: Record<string, unknown> | undefined,
): MailgunSettings {
  const parsed = storedSchema.safeParse(raw ?? {});
  const stored = parsed.success ? parsed.data : {};
  return {
    domain: stored.domain ?? null,
    region: stored.region ?? MAILGUN_DEFAULTS.region,
    tracking: {
      ...MAILGUN_DEFAULTS.tracking,
      ...(stored.tracking as Partial<MailgunTracking>),
    },
    advanced: {
      ...MAILGUN_DEFAULTS.advanced,
      ...(stored.advanced as Partial<MailgunAdvanced>),
    },
  };
}

export const mailgunProfile: ProviderProfile<
  MailgunSettings,
  MailgunConfigInput,
  MailgunConfigView
> = {
  id: 'mailgun',
  inputSchema: mailgunConfigInputSchema,
  secrets: [{ name: 'apiKey', label: 'API key', required: true }],
  readSettings: readMailgunSettings,
  settingsFromInput: input => ({
    domain: input.domain,
    region: input.region,
    tracking: { ...input.tracking },
    advanced: { ...input.advanced },
  }),
  secretChanges: input => ({ apiKey: input.apiKey }),
  timeoutSeconds: settings => settings.advanced.timeoutSeconds,
  connection: (settings, secrets, baseUrls) => ({
    apiKey: secrets.apiKey,
    baseUrl:
      settings.region === 'eu'
        ? baseUrls.mailgunEu ?? EU_DEFAULT
        : baseUrls.mailgun,
    timeoutSeconds: settings.advanced.timeoutSeconds,
    region: settings.region,
    testMode: settings.advanced.testMode,
    ...(settings.domain ? { domain: settings.domain } : {}),
  }),
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
  sendDefaults: settings =>
    settings.domain
      ? {
          from: `ESP Hub <noreply@${settings.domain}>`,
          trackOpens: settings.tracking.trackOpens,
          trackLinks: settings.tracking.trackClicks,
          dkim: settings.tracking.dkimSigning,
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
