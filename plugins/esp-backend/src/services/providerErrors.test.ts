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

  it('answers a rate-limited admin call with 429 and the Retry-After, claiming no retry', () => {
    const mapped = map(
      new ProviderError('rate_limited', '429', { retryAfter: '30' }),
    );
    expect(mapped).toMatchObject({
      name: 'TooManyRequestsError',
      statusCode: 429,
      retryAfter: '30',
      message: 'Postmark rate limit reached. Try again in a moment.',
    });
    expect(mapped.message).not.toMatch(/queued/);
    // A header value that is neither seconds nor an HTTP date is not passed on.
    expect(
      map(
        new ProviderError('rate_limited', '429', {
          retryAfter: '30\r\nSet-Cookie: x=1',
        }),
      ),
    ).toMatchObject({ statusCode: 429, retryAfter: undefined });
  });

  it("reads a provider's own error as its report, not as 'Unable to connect'", () => {
    const mapped = map(
      new ProviderError(
        'provider_error',
        '<html>\n  <body>Internal   Server Error</body>\n</html>',
      ),
    );
    expect(mapped).toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Postmark reported an error: <html> <body>Internal Server Error</body> </html>',
    });
    expect(
      map(new ProviderError('provider_error', 'x'.repeat(1000))).message,
    ).toHaveLength('Postmark reported an error: '.length + 300);
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
  it('replaces every occurrence of a long secret, ignoring empty values', () => {
    expect(
      redactSecrets('a-secret-1 and xa-secret-1x', ['a-secret-1', '']),
    ).toBe('[redacted] and x[redacted]x');
  });

  it('covers short secrets too, where they stand on their own', () => {
    expect(
      redactSecrets('535 Authentication failed for pw=ab1 (ab1)', ['ab1']),
    ).toBe('535 Authentication failed for pw=[redacted] ([redacted])');
    expect(redactSecrets('password "x" refused', ['x'])).toBe(
      'password "[redacted]" refused',
    );
  });

  it('does not tear holes into ordinary words for a short secret', () => {
    expect(redactSecrets('mailbox unavailable: mail', ['mail'])).toBe(
      'mailbox unavailable: [redacted]',
    );
  });

  it('redacts the longest secret first, so a shorter one inside it leaves nothing behind', () => {
    expect(
      redactSecrets('token key-12345678-abc', ['abc', 'key-12345678-abc']),
    ).toBe('token [redacted]');
  });

  it('treats a secret as text, not as a pattern', () => {
    expect(redactSecrets('user a.b* said a.b*', ['a.b*'])).toBe(
      'user [redacted] said [redacted]',
    );
    expect(redactSecrets('aXb', ['a.b'])).toBe('aXb');
  });
});
