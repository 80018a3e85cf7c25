import { z } from 'zod';

/** Limits the spec sets for Postmark's advanced settings. @public */
export const POSTMARK_LIMITS = {
  batchSize: { min: 1, max: 500 },
  retryAttempts: { min: 0, max: 5 },
  timeoutSeconds: { min: 5, max: 60 },
} as const;

const intIn = (name: string, min: number, max: number) =>
  z
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be a whole number` })
    .min(min, { error: `${name} must be between ${min} and ${max}` })
    .max(max, { error: `${name} must be between ${min} and ${max}` });

/** @public */
export const emailAddressSchema = z
  .string()
  .trim()
  .email({ error: 'Enter a valid email address, e.g. noreply@yourdomain.com' });

const token = (name: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${name} must not be empty` })
    .max(200, { error: `${name} is too long` })
    .regex(/^[\x21-\x7e]+$/, { error: `${name} contains invalid characters` });

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

/** Body of `POST /providers/:id/credentials/validate`. @public */
export const credentialCheckInputSchema = z
  .object({ apiKey: token('API key') })
  .strict();

/** @public */
export const testEmailInputSchema = z
  .object({
    to: emailAddressSchema,
    tags: z.array(z.string().trim().min(1).max(128)).max(10).optional(),
  })
  .strict();

/** @public */
export type TestEmailInput = z.infer<typeof testEmailInputSchema>;

/** @public */
export const addDomainInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: 'Enter a domain name such as mail.yourdomain.com',
      }),
  })
  .strict();

/** @public */
export const providerEnabledInputSchema = z
  .object({ enabled: z.boolean() })
  .strict();

/**
 * Turns a zod error into one sentence per field, each naming the field path,
 * e.g. "advanced.batchSize: Batch size must be between 1 and 500".
 * @public
 */
export function describeValidationError(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = issue.path.join('.');
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
          : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join('; ');
}
