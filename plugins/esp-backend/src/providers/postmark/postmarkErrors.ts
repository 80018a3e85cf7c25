import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import * as postmark from 'postmark';
import { ProviderError } from '../errors';

const DISPLAY_NAME = 'Postmark';

/**
 * Translates what the Postmark SDK throws into a ProviderError. The SDK throws
 * a plain PostmarkError with status 0 when no HTTP answer arrived at all
 * (refused, DNS, timeout): that is "unreachable", not a Postmark verdict.
 */
export function toProviderError(error: unknown): ProviderError {
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
  if (statusCode >= 500) {
    return new ProviderError(
      'unreachable',
      ESP_MESSAGES.unreachable(DISPLAY_NAME),
      {
        providerCode: code,
      },
    );
  }
  return new ProviderError('provider_error', error.message, {
    providerCode: code,
  });
}
