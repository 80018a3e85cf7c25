import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { TooManyRequestsError } from '../lib/TooManyRequestsError';
import { isProviderError } from '../providers/errors';

// Secrets at least this long are redacted wherever they occur; shorter ones
// only where they stand on their own, so a short password such as "mail" does
// not tear holes into words like "mailbox".
const REDACT_EVERYWHERE_FROM = 8;

const escapeRegExp = (value: string) =>
  value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every occurrence of the given secrets, longest first so that a
 * secret contained in another cannot leave part of the longer one behind.
 * Adapters promise messages without secrets; this is the second line of
 * defence for anything that ends up in a log line or an HTTP answer.
 */
export function redactSecrets(
  text: string,
  secrets: ReadonlyArray<string | undefined>,
): string {
  const distinct = [...new Set(secrets)]
    .filter((secret): secret is string => Boolean(secret))
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of distinct) {
    out =
      secret.length >= REDACT_EVERYWHERE_FROM
        ? out.split(secret).join('[redacted]')
        : out.replace(
            new RegExp(
              `(?<![A-Za-z0-9])${escapeRegExp(secret)}(?![A-Za-z0-9])`,
              'g',
            ),
            '[redacted]',
          );
  }
  return out;
}

/** A provider's words as one bounded line: some answer with a whole HTML page. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Maps a failed provider call to the Backstage error the API answers with.
 * The provider's words are kept where the admin can act on them (a rejected
 * message, a domain that does not exist, the provider's own error); credential
 * failures and a provider that could not be reached use the spec's fixed sentences. Errors that are not `ProviderError`s are bugs or SDK
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
      // "queued for retry" sentence would not be true here. 429 with the
      // provider's Retry-After tells the caller when trying again makes sense.
      return new TooManyRequestsError(
        ESP_MESSAGES.rateLimitedTryAgain(displayName),
        error.retryAfter,
      );
    case 'rejected':
    case 'forbidden':
      return new InputError(detail);
    case 'not_found':
      return new NotFoundError(detail);
    default:
      // The provider answered, with an error of its own (a 500, a 503, a
      // relay's temporary refusal): its words, not "Unable to connect".
      return new ServiceUnavailableError(
        `${displayName} reported an error: ${oneLine(detail)}`,
      );
  }
}
