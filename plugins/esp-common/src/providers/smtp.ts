import { z } from 'zod';
import type { ProviderConfigViewBase, SecretView } from './common';
import { emailAddressSchema } from './common';
import { intIn } from './fieldSchemas';

/** @public */
export type SmtpTlsMode = 'none' | 'starttls' | 'tls';

/** Built-in SMTP relay configuration as the API returns it (the password masked). @public */
export type SmtpConfigView = ProviderConfigViewBase & {
  providerId: 'smtp';
  host: string | null;
  port: number;
  tls: SmtpTlsMode;
  username: string | null;
  password: SecretView;
  defaultSender: string | null;
  timeoutSeconds: number;
};

/** @public */
export const SMTP_DEFAULTS = {
  port: 587,
  tls: 'starttls' as SmtpTlsMode,
  timeoutSeconds: 30,
};

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
