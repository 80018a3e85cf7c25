import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { ProviderError } from '../errors';

const DISPLAY_NAME = 'Mailgun';

type MailgunApiError = Error & {
  status?: number;
  details?: string;
  type?: string;
};

/**
 * Maps mailgun.js errors to ProviderError. The SDK reports "no HTTP answer" as a
 * status 400 whose message is the socket error code (ECONNREFUSED, ETIMEDOUT, …),
 * so that case is told apart from a real 400 by the code.
 */
export function toMailgunProviderError(
  error: unknown,
  /** The `Retry-After` of the answer, when the caller could read it. */
  retryAfter?: string,
): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as MailgunApiError;
  const status = e?.status;
  const message = e?.message ?? '';
  const detail = (typeof e?.details === 'string' && e.details) || message;
  if (status === 400 && /^(E[A-Z_]+|ERR_[A-Z_]+)$/.test(message)) {
    return new ProviderError(
      'unreachable',
      ESP_MESSAGES.unreachable(DISPLAY_NAME),
      { cause: error },
    );
  }
  if (
    status === 401 ||
    (status === 403 && /forbidden/i.test(detail) && !/domain/i.test(detail))
  ) {
    return new ProviderError(
      'invalid_credentials',
      ESP_MESSAGES.invalidApiKey,
      { providerCode: status },
    );
  }
  if (status === 429) {
    return new ProviderError('rate_limited', ESP_MESSAGES.rateLimited, {
      providerCode: status,
      retryAfter,
    });
  }
  if (status === 404) {
    return new ProviderError('not_found', detail || 'Not found at Mailgun', {
      providerCode: status,
    });
  }
  if (status && status >= 500) {
    // Mailgun (or a proxy in front of it) answered: that is its error, not a
    // failure to reach it.
    return new ProviderError('provider_error', detail || `HTTP ${status}`, {
      providerCode: status,
    });
  }
  if (status && status >= 400) {
    return new ProviderError('rejected', detail, { providerCode: status });
  }
  return new ProviderError(
    'unreachable',
    ESP_MESSAGES.unreachable(DISPLAY_NAME),
    { cause: error },
  );
}
