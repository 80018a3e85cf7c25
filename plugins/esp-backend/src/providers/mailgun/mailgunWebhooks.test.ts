import { createHmac } from 'node:crypto';
import { verifyMailgunWebhook } from './mailgunWebhooks';

const KEY = 'webhook-signing-key-1234';
const now = new Date('2026-11-25T12:00:00Z');

function signed(
  body: Record<string, unknown>,
  timestamp = String(now.getTime() / 1000),
  key = KEY,
) {
  const token = 'a'.repeat(50);
  const signature = createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
  return {
    rawBody: Buffer.from(
      JSON.stringify({ signature: { timestamp, token, signature }, ...body }),
    ),
    headers: {},
  };
}

describe('Mailgun webhooks', () => {
  it('accepts a body signed with the signing key, and nothing else', () => {
    expect(verifyMailgunWebhook(signed({}), KEY, now)).toBe(true);
    expect(
      verifyMailgunWebhook(signed({}, undefined, 'other-key'), KEY, now),
    ).toBe(false);
    expect(
      verifyMailgunWebhook(
        { rawBody: Buffer.from('not json'), headers: {} },
        KEY,
        now,
      ),
    ).toBe(false);
    expect(verifyMailgunWebhook(signed({}), '', now)).toBe(false);
  });

  it('refuses a signature older than five minutes', () => {
    const old = String(now.getTime() / 1000 - 301);
    expect(verifyMailgunWebhook(signed({}, old), KEY, now)).toBe(false);
  });
});
