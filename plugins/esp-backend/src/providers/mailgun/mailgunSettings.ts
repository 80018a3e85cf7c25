import {
  MAILGUN_DEFAULTS,
  MailgunAdvanced,
  MailgunConfigInput,
  MailgunRegion,
  MailgunTracking,
} from '@internal/plugin-esp-common';
import { z } from 'zod';

/** The non-secret Mailgun settings as kept in `esp_provider_config.settings`. */
export type MailgunSettings = {
  domain: string | null;
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: MailgunAdvanced;
};

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

export function readMailgunSettings(
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

export function mailgunSettingsFromInput(
  input: MailgunConfigInput,
): MailgunSettings {
  return {
    domain: input.domain,
    region: input.region,
    tracking: { ...input.tracking },
    advanced: { ...input.advanced },
  };
}
