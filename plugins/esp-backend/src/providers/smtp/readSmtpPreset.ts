import type { Config } from '@backstage/config';
import {
  describeValidationError,
  smtpConfigInputSchema,
} from '@internal/plugin-esp-common';

// The parts of the relay's form a deployment can suggest; credentials are not
// among them (they would sit in plain text in app-config).
const presetSchema = smtpConfigInputSchema
  .pick({ host: true, port: true, tls: true, defaultSender: true })
  .partial({ port: true, tls: true, defaultSender: true })
  .strict();

/**
 * Reads `esp.providers.smtp.preset`: the relay the Built-in SMTP page starts
 * with until an admin saves one (the development SMTP sink, or the company's
 * relay). It is only a suggestion: nothing is sent through it before a save has
 * checked it. A preset that would fail the page's own validation stops the
 * backend at startup with the field named, rather than prefilling bad values.
 */
export function readSmtpPreset(
  config: Config,
): Record<string, unknown> | undefined {
  const key = 'esp.providers.smtp.preset';
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  const parsed = presetSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid ${key}: ${describeValidationError(parsed.error)}`);
  }
  return parsed.data;
}
