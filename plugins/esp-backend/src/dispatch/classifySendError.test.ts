import { ProviderError } from '../providers/errors';
import { classifySendError, parseRetryAfter } from './classifySendError';

const NOW = new Date('2026-12-02T10:00:00Z');

describe('classifySendError', () => {
  it.each([
    [
      new ProviderError('invalid_credentials', 'Bad key'),
      'bad_credentials',
      false,
    ],
    [
      new ProviderError('provider_error', 'Service unavailable.'),
      'provider_5xx',
      false,
    ],
    [
      new ProviderError('rejected', 'Not a sender signature', {
        providerCode: 400,
      }),
      'sender_not_verified',
      false,
    ],
    [
      new ProviderError('rejected', 'Inactive recipient', {
        providerCode: 406,
      }),
      'recipient_inactive',
      false,
    ],
    [
      new ProviderError('rejected', 'Invalid To address', {
        providerCode: 300,
      }),
      'message_invalid',
      false,
    ],
    [
      new ProviderError('not_found', 'Domain not found'),
      'sender_not_verified',
      false,
    ],
    [
      new ProviderError('unreachable', 'Unable to connect', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
          code: 0,
        }),
      }),
      'connection_failure',
      false,
    ],
    [
      new ProviderError('unreachable', 'Unable to connect', {
        cause: Object.assign(new Error('boom'), { code: 'ENOTFOUND' }),
      }),
      'connection_failure',
      false,
    ],
    // Lost after the request went out: it may have been accepted.
    [
      new ProviderError('unreachable', 'Unable to connect', {
        cause: new Error('socket hang up'),
      }),
      'timeout',
      true,
    ],
    [
      new ProviderError('unreachable', 'Unable to connect', {
        cause: Object.assign(new Error('t'), { code: 'ETIMEDOUT' }),
      }),
      'timeout',
      true,
    ],
    [new Error('a bug'), 'provider_5xx', true],
  ])('%s → %s (outcome unknown: %s)', (error, errorClass, outcomeUnknown) => {
    expect(classifySendError(error, NOW)).toMatchObject({
      errorClass,
      outcomeUnknown,
    });
  });

  it("keeps a rate limit's Retry-After in seconds", () => {
    expect(
      classifySendError(
        new ProviderError('rate_limited', 'Slow down', { retryAfter: '30' }),
        NOW,
      ),
    ).toEqual({
      errorClass: 'rate_limited',
      message: 'Slow down',
      outcomeUnknown: false,
      retryAfterSeconds: 30,
    });
    expect(
      classifySendError(new ProviderError('rate_limited', 'Slow down'), NOW)
        .retryAfterSeconds,
    ).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120);
    expect(parseRetryAfter('Wed, 02 Dec 2026 10:01:30 GMT', NOW)).toBe(90);
    expect(parseRetryAfter('Wed, 02 Dec 2026 09:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});
