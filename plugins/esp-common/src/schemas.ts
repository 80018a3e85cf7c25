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

const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    {
      error: 'Enter a domain name such as mail.yourdomain.com',
    },
  );

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
export const addDomainInputSchema = z.object({ name: domainName }).strict();

/** @public */
export const providerEnabledInputSchema = z
  .object({ enabled: z.boolean() })
  .strict();

/** Limits the spec sets for Mailgun's advanced settings. @public */
export const MAILGUN_LIMITS = {
  batchSize: { min: 1, max: 1000 },
  retryAttempts: { min: 0, max: 5 },
  timeoutSeconds: { min: 5, max: 60 },
} as const;

/** Body of `POST /providers/mailgun`. An omitted `apiKey` keeps the stored one. @public */
export const mailgunConfigInputSchema = z
  .object({
    apiKey: token('API key').optional(),
    domain: domainName,
    region: z.enum(['us', 'eu'], { error: 'Region must be us or eu' }),
    tracking: z
      .object({
        trackOpens: z.boolean(),
        trackClicks: z.boolean(),
        autoUnsubscribe: z.boolean(),
        dkimSigning: z.boolean(),
      })
      .strict(),
    advanced: z
      .object({
        tagPrefix: z
          .string()
          .trim()
          .max(32, { error: 'Tag prefix is at most 32 characters' })
          .regex(/^[A-Za-z0-9_.:-]*$/, {
            error: 'Tag prefix may use letters, digits and _ . : -',
          }),
        batchSize: intIn(
          'Batch size',
          MAILGUN_LIMITS.batchSize.min,
          MAILGUN_LIMITS.batchSize.max,
        ),
        retryAttempts: intIn(
          'Retry attempts',
          MAILGUN_LIMITS.retryAttempts.min,
          MAILGUN_LIMITS.retryAttempts.max,
        ),
        timeoutSeconds: intIn(
          'Timeout',
          MAILGUN_LIMITS.timeoutSeconds.min,
          MAILGUN_LIMITS.timeoutSeconds.max,
        ),
        testMode: z.boolean(),
      })
      .strict(),
  })
  .strict();

/** @public */
export type MailgunConfigInput = z.infer<typeof mailgunConfigInputSchema>;

/**
 * Body of `POST /providers/smtp`. An omitted `password` keeps the stored one;
 * `null` removes it (a relay without authentication).
 * @public
 */
export const smtpConfigInputSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1, { error: 'Host must not be empty' })
      .max(253)
      .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, {
        error: 'Host must be a host name or an IP address',
      }),
    port: intIn('Port', 1, 65535),
    tls: z.enum(['none', 'starttls', 'tls'], {
      error: 'TLS mode must be none, starttls or tls',
    }),
    username: z.string().trim().max(255).nullable(),
    password: z.string().min(1).max(1024).nullable().optional(),
    defaultSender: emailAddressSchema,
    timeoutSeconds: intIn('Timeout', 5, 60),
  })
  .strict();

/** @public */
export type SmtpConfigInput = z.infer<typeof smtpConfigInputSchema>;

/** Body of `POST /providers/:id/address-validations`: the CSV file's text. @public */
export const addressValidationInputSchema = z
  .object({
    csv: z
      .string()
      .min(1, { error: 'The CSV file is empty' })
      .max(2_000_000, { error: 'The CSV file is larger than 2 MB' }),
  })
  .strict();
