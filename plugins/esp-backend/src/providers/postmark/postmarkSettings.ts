import {
  POSTMARK_DEFAULTS,
  PostmarkAdvanced,
  PostmarkConfigInput,
  PostmarkTracking,
} from '@internal/plugin-esp-common';
import { z } from 'zod';

/** The non-secret Postmark settings as kept in `esp_provider_config.settings`. */
export type PostmarkSettings = {
  defaultSender: string | null;
  tracking: PostmarkTracking;
  advanced: PostmarkAdvanced;
};

/** Names of the Postmark secrets; also the second half of their cipher context. */
export const POSTMARK_SECRETS = {
  serverToken: 'serverToken',
  accountToken: 'accountToken',
} as const;

export const POSTMARK_DASHBOARD_URL = 'https://account.postmarkapp.com/servers';

// Lenient on purpose: a row written by an older version (or edited by hand) must
// still load, with the defaults filling whatever is missing or malformed.
const storedSchema = z.object({
  defaultSender: z.string().nullable().optional().catch(null),
  tracking: z
    .object({
      trackOpens: z.boolean(),
      trackLinks: z.boolean(),
      trackDelivery: z.boolean(),
    })
    .partial()
    .optional()
    .catch(undefined),
  advanced: z
    .object({
      messageStream: z.string(),
      batchSize: z.number(),
      retryAttempts: z.number(),
      timeoutSeconds: z.number(),
    })
    .partial()
    .optional()
    .catch(undefined),
});

export function readPostmarkSettings(
  raw: Record<string, unknown> | undefined,
): PostmarkSettings {
  const parsed = storedSchema.safeParse(raw ?? {});
  const stored = parsed.success ? parsed.data : {};
  return {
    defaultSender: stored.defaultSender ?? null,
    tracking: { ...POSTMARK_DEFAULTS.tracking, ...stored.tracking },
    advanced: { ...POSTMARK_DEFAULTS.advanced, ...stored.advanced },
  };
}

export function postmarkSettingsFromInput(
  input: PostmarkConfigInput,
): PostmarkSettings {
  return {
    defaultSender: input.defaultSender,
    tracking: { ...input.tracking },
    advanced: { ...input.advanced },
  };
}
