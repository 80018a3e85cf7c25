import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import * as postmark from 'postmark';
import { ProviderError } from '../errors';

const DISPLAY_NAME = 'Postmark';

/**
 * Translates what the Postmark SDK throws into a ProviderError. The SDK throws
 * a plain PostmarkError with status 0 when no HTTP answer arrived at all
 * (refused, DNS, timeout): that is "unreachable", not a Postmark verdict. Any
 * answer Postmark gave, a 500 or 503 included, keeps Postmark's own message.
 */
export function toProviderError(
  error: unknown,
  /** The `Retry-After` of the answer, which the SDK does not keep on its errors. */
  retryAfter?: string,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!(error instanceof postmark.Errors.PostmarkError)) {
    return new ProviderError('provider_error', `${DISPLAY_NAME} call failed`, {
      cause: error,
    });
  }
  const { statusCode, code } = error;
  if (error instanceof postmark.Errors.InvalidAPIKeyError || code === 10) {
    return new ProviderError(
      'invalid_credentials',
      ESP_MESSAGES.invalidApiKey,
      {
        providerCode: code,
      },
    );
  }
  if (!statusCode) {
    return new ProviderError(
      'unreachable',
      ESP_MESSAGES.unreachable(DISPLAY_NAME),
      {
        cause: error,
      },
    );
  }
  if (error instanceof postmark.Errors.RateLimitExceededError) {
    return new ProviderError('rate_limited', ESP_MESSAGES.rateLimited, {
      providerCode: code,
      retryAfter,
    });
  }
  if (statusCode === 422) {
    // Postmark's own sentence (e.g. an unconfirmed sender signature) is what the admin needs.
    return new ProviderError('rejected', error.message, { providerCode: code });
  }
  if (statusCode === 404) {
    return new ProviderError('not_found', error.message, {
      providerCode: code,
    });
  }
  // A 500 or 503 is Postmark's answer, not a failure to reach it: it falls
  // through to provider_error with Postmark's own message.
  return new ProviderError('provider_error', error.message, {
    providerCode: code,
  });
}
