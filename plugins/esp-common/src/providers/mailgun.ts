import { z } from 'zod';
import type {
  ProviderConfigViewBase,
  SecretView,
  SenderVerification,
} from './common';
import { domainName, intIn, token } from './fieldSchemas';

/** @public */
export type MailgunRegion = 'us' | 'eu';

/** @public */
export type MailgunTracking = {
  trackOpens: boolean;
  trackClicks: boolean;
  autoUnsubscribe: boolean;
  dkimSigning: boolean;
};

/** @public */
export type MailgunAdvanced = {
  tagPrefix: string;
  batchSize: number;
  retryAttempts: number;
  timeoutSeconds: number;
  testMode: boolean;
};

/** Mailgun configuration as the API returns it (the key masked). @public */
export type MailgunConfigView = ProviderConfigViewBase & {
  providerId: 'mailgun';
  apiKey: SecretView;
  domain: string | null;
  /** "Active" in Mailgun's words when verified. */
  domainStatus: SenderVerification;
  domainDetail: string | null;
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: MailgunAdvanced;
  dashboardUrl: string;
};

/** @public */
export const MAILGUN_DEFAULTS: {
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: MailgunAdvanced;
} = {
  region: 'us',
  tracking: {
    trackOpens: true,
    trackClicks: true,
    autoUnsubscribe: true,
    dkimSigning: false,
  },
  advanced: {
    tagPrefix: '',
    batchSize: 100,
    retryAttempts: 3,
    timeoutSeconds: 30,
    testMode: false,
  },
};

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
