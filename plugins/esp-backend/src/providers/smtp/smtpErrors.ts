import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { ProviderError } from '../errors';

const DISPLAY_NAME = 'Built-in SMTP';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
]);

type NodemailerError = Error & {
  code?: string;
  responseCode?: number;
  response?: string;
};

/**
 * Maps what nodemailer throws to a ProviderError. SMTP replies carry a status:
 * 535 is a refused login, other 5xx a permanent refusal, 4xx a temporary one
 * (throttling, greylisting) that is worth retrying later.
 */
export function toSmtpProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as NodemailerError;
  if (e?.code === 'EAUTH' || e?.responseCode === 535) {
    return new ProviderError(
      'invalid_credentials',
      ESP_MESSAGES.invalidApiKey,
      {
        providerCode: e.responseCode,
      },
    );
  }
  if (e?.code && UNREACHABLE_CODES.has(e.code) && !e.responseCode) {
    return new ProviderError(
      'unreachable',
      ESP_MESSAGES.unreachable(DISPLAY_NAME),
      {
        cause: error,
      },
    );
  }
  if (e?.responseCode && e.responseCode >= 400 && e.responseCode < 500) {
    return new ProviderError('rate_limited', ESP_MESSAGES.rateLimited, {
      providerCode: e.responseCode,
    });
  }
  if (e?.responseCode && e.responseCode >= 500) {
    // The relay's own words, e.g. "550 5.1.1 Mailbox unknown".
    return new ProviderError('rejected', e.response ?? e.message, {
      providerCode: e.responseCode,
    });
  }
  return new ProviderError(
    'unreachable',
    ESP_MESSAGES.unreachable(DISPLAY_NAME),
    {
      cause: error,
    },
  );
}
