import {
  defaultRoutingConfig,
  DEFAULT_ERROR_ACTIONS,
  SEND_ERROR_CLASSES,
} from '@internal/plugin-esp-common';
import { nextStepAfterError } from './errorActions';

const config = defaultRoutingConfig();
const step = (errorClass: any, attempt = 1, extra: object = {}, cfg = config) =>
  nextStepAfterError(
    { errorClass, attempt, remainingChain: ['mailgun', 'smtp'], ...extra },
    cfg,
  );

describe('nextStepAfterError with the default error table', () => {
  it('has an action for every error class, as the issue sets them', () => {
    expect(Object.keys(DEFAULT_ERROR_ACTIONS).sort()).toEqual(
      [...SEND_ERROR_CLASSES].sort(),
    );
    expect(config.errorActions).toEqual(DEFAULT_ERROR_ACTIONS);
  });

  it.each(['timeout', 'connection_failure', 'provider_5xx'])(
    '%s: retries on the same provider after the retry delay, then fails over',
    errorClass => {
      expect(step(errorClass, 1)).toMatchObject({
        kind: 'retry',
        delaySeconds: 30,
      });
      expect(step(errorClass, 3)).toMatchObject({
        kind: 'retry',
        delaySeconds: 30,
      });
      expect(step(errorClass, 4)).toMatchObject({
        kind: 'failover',
        provider: 'mailgun',
      });
    },
  );

  it('rate limited: waits out the Retry-After the provider gave, else the retry delay', () => {
    expect(step('rate_limited', 1, { retryAfterSeconds: 7.2 })).toEqual({
      kind: 'retry',
      delaySeconds: 8,
      message:
        'ESP rate limit reached. Emails queued for retry. Rate limited: retry 1 of 3 on the same provider in 8 s.',
    });
    expect(step('rate_limited', 2)).toMatchObject({
      kind: 'retry',
      delaySeconds: 30,
    });
    expect(step('rate_limited', 4)).toMatchObject({ kind: 'failover' });
  });

  it.each(['bad_credentials', 'sender_not_verified'])(
    '%s: fails over at once',
    errorClass => {
      expect(step(errorClass, 1)).toMatchObject({
        kind: 'failover',
        provider: 'mailgun',
      });
    },
  );

  it.each(['recipient_inactive', 'message_invalid'])(
    '%s: fails the message, another provider would refuse it too',
    errorClass => {
      expect(step(errorClass, 1)).toMatchObject({ kind: 'fail' });
    },
  );

  it('fails instead of failing over when failover is off or no provider is left', () => {
    const off = { ...config, failover: { ...config.failover, enabled: false } };
    expect(step('bad_credentials', 1, {}, off)).toEqual({
      kind: 'fail',
      message: 'Bad credentials: failover is off, the message fails.',
    });
    expect(step('timeout', 4, { remainingChain: [] })).toEqual({
      kind: 'fail',
      message:
        'Timeout, and the 3 retries are used up: no provider is left in the failover order, the message fails.',
    });
  });

  it('starts with the spec’s sentences for a provider down, a failover and an unverified domain', () => {
    expect(step('timeout', 4, { provider: 'postmark' }).message).toBe(
      'Unable to connect to Postmark. Using fallback provider. Timeout, and the 3 retries are used up: failing over to Mailgun.',
    );
    expect(
      step('connection_failure', 4, {
        provider: 'postmark',
        remainingChain: [],
      }).message,
    ).toBe(
      'Unable to connect to Postmark. Connection failure, and the 3 retries are used up: no provider is left in the failover order, the message fails.',
    );
    const failed = step('sender_not_verified', 1, {
      provider: 'mailgun',
      remainingChain: [],
    });
    expect(failed.kind).toBe('fail');
    expect(failed.message).toMatch(
      /^Domain verification required\. The DNS records to publish: \/dashboard\/settings\/integrations\/esp\/mailgun \(Sending domains\)\. /,
    );
  });

  it('follows the admin’s table and retry settings', () => {
    const cfg = {
      ...config,
      failover: { ...config.failover, retryAttempts: 1, retryDelaySeconds: 60 },
      errorActions: { ...config.errorActions, timeout: 'fail' as const },
    };
    expect(step('timeout', 1, {}, cfg)).toMatchObject({ kind: 'fail' });
    expect(step('provider_5xx', 1, {}, cfg)).toMatchObject({
      kind: 'retry',
      delaySeconds: 60,
    });
    expect(step('provider_5xx', 2, {}, cfg)).toMatchObject({
      kind: 'failover',
    });
  });
});
