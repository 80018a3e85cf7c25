import { z } from 'zod';
import type {
  ProviderConfigViewBase,
  SecretView,
  SenderVerification,
} from './common';
import { emailAddressSchema } from './common';
import { intIn, token } from './fieldSchemas';

/** @public */
export type PostmarkTracking = {
  trackOpens: boolean;
  trackLinks: boolean;
  trackDelivery: boolean;
};

/** @public */
export type PostmarkAdvanced = {
  messageStream: string;
  batchSize: number;
  retryAttempts: number;
  timeoutSeconds: number;
};

/** Postmark configuration as the API returns it (secrets masked). @public */
export type PostmarkConfigView = ProviderConfigViewBase & {
  providerId: 'postmark';
  serverToken: SecretView;
  accountToken: SecretView;
  defaultSender: string | null;
  defaultSenderStatus: SenderVerification;
  /** Why the sender status is unknown or unverified, when there is a reason to give. */
  defaultSenderDetail: string | null;
  tracking: PostmarkTracking;
  advanced: PostmarkAdvanced;
  /** Link to the provider's own dashboard. */
  dashboardUrl: string;
};

/** Default values the pages and the backend share. @public */
export const POSTMARK_DEFAULTS: {
  tracking: PostmarkTracking;
  advanced: PostmarkAdvanced;
} = {
  tracking: { trackOpens: true, trackLinks: true, trackDelivery: false },
  advanced: {
    messageStream: 'outbound',
    batchSize: 50,
    retryAttempts: 3,
    timeoutSeconds: 30,
  },
};

/** Limits the spec sets for Postmark's advanced settings. @public */
export const POSTMARK_LIMITS = {
  batchSize: { min: 1, max: 500 },
  retryAttempts: { min: 0, max: 5 },
  timeoutSeconds: { min: 5, max: 60 },
} as const;

/**
 * Body of `POST /providers/postmark`. A token left out keeps the stored one;
 * `accountToken: null` removes the stored account token.
 * @public
 */
export const postmarkConfigInputSchema = z
  .object({
    serverToken: token('API token').optional(),
    accountToken: token('Account token').nullable().optional(),
    defaultSender: emailAddressSchema,
    tracking: z
      .object({
        trackOpens: z.boolean(),
        trackLinks: z.boolean(),
        trackDelivery: z.boolean(),
      })
      .strict(),
    advanced: z
      .object({
        messageStream: z
          .string()
          .trim()
          .min(1, { error: 'Message stream must not be empty' })
          .max(100),
        batchSize: intIn(
          'Batch size',
          POSTMARK_LIMITS.batchSize.min,
          POSTMARK_LIMITS.batchSize.max,
        ),
        retryAttempts: intIn(
          'Retry attempts',
          POSTMARK_LIMITS.retryAttempts.min,
          POSTMARK_LIMITS.retryAttempts.max,
        ),
        timeoutSeconds: intIn(
          'Timeout',
          POSTMARK_LIMITS.timeoutSeconds.min,
          POSTMARK_LIMITS.timeoutSeconds.max,
        ),
      })
      .strict(),
  })
  .strict();

/** @public */
export type PostmarkConfigInput = z.infer<typeof postmarkConfigInputSchema>;
