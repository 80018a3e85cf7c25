import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { ProviderError } from '../providers/errors';
import { redactSecrets, toHttpError } from './providerErrors';

describe('toHttpError', () => {
  const map = (error: unknown, secrets: string[] = []) =>
    toHttpError(error, 'Postmark', secrets);

  it("answers credential and network failures with the spec's sentences", () => {
    expect(
      map(new ProviderError('invalid_credentials', 'ErrorCode 10')),
    ).toMatchObject({
      name: 'InputError',
      message: ESP_MESSAGES.invalidApiKey,
    });
    expect(map(new ProviderError('unreachable', 'ECONNREFUSED'))).toMatchObject(
      {
        name: 'ServiceUnavailableError',
        message: 'Unable to connect to Postmark.',
      },
    );
  });

  it('does not claim a retry for a rate-limited admin call, which nothing retries', () => {
    const mapped = map(new ProviderError('rate_limited', '429'));
    expect(mapped).toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'Postmark rate limit reached. Try again in a moment.',
    });
    expect(mapped.message).not.toMatch(/queued/);
  });

  it("keeps the provider's words where the admin can act on them, without secrets", () => {
    expect(
      map(
        new ProviderError(
          'rejected',
          "Invalid 'To' address, sent with token pm-1234-secret",
        ),
        ['pm-1234-secret'],
      ),
    ).toMatchObject({
      name: 'InputError',
      message: "Invalid 'To' address, sent with token [redacted]",
    });
    expect(
      map(new ProviderError('not_found', 'This domain was not found.')),
    ).toMatchObject({ name: 'NotFoundError' });
  });

  it('replaces the text of anything that is not a ProviderError', () => {
    const mapped = map(new Error('socket hang up at key pm-1234-secret'));
    expect(mapped.message).toBe('Unexpected failure while calling Postmark');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, ignoring empty and very short values', () => {
    expect(redactSecrets('a-secret and a-secret', ['a-secret', '', 'ab'])).toBe(
      '[redacted] and [redacted]',
    );
  });
});
