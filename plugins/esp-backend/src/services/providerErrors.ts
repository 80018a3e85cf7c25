import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { isProviderError } from '../providers/errors';

/**
 * Replaces every occurrence of the given secrets. Adapters promise messages
 * without secrets; this is the second line of defence for anything that ends up
 * in a log line or an HTTP answer.
 */
export function redactSecrets(
  text: string,
  secrets: ReadonlyArray<string | undefined>,
): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('[redacted]');
    }
  }
  return out;
}

/**
 * Maps a failed provider call to the Backstage error the API answers with.
 * The provider's words are kept only where the admin can act on them (a rejected
 * message, a domain that does not exist); credential and network failures use the
 * spec's fixed sentences. Errors that are not `ProviderError`s are bugs or SDK
 * surprises: their text is not trusted to be free of secrets, so it is replaced.
 */
export function toHttpError(
  error: unknown,
  displayName: string,
  secrets: ReadonlyArray<string | undefined> = [],
): Error {
  if (!isProviderError(error)) {
    return new Error(`Unexpected failure while calling ${displayName}`);
  }
  const detail = redactSecrets(error.message, secrets);
  switch (error.kind) {
    case 'invalid_credentials':
      return new InputError(ESP_MESSAGES.invalidApiKey);
    case 'unreachable':
      return new ServiceUnavailableError(ESP_MESSAGES.unreachable(displayName));
    case 'rate_limited':
      // These calls are an admin's own and are not retried: the spec's
      // "queued for retry" sentence would not be true here.
      return new ServiceUnavailableError(
        ESP_MESSAGES.rateLimitedTryAgain(displayName),
      );
    case 'rejected':
    case 'forbidden':
      return new InputError(detail);
    case 'not_found':
      return new NotFoundError(detail);
    default:
      return new ServiceUnavailableError(
        `${displayName} reported an error: ${detail}`,
      );
  }
}
