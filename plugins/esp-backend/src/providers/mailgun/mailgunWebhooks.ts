import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../types';

// Mailgun signs the timestamp; older deliveries are replays or badly delayed.
const MAX_AGE_SECONDS = 5 * 60;

type MailgunWebhookBody = {
  signature?: { timestamp?: string; token?: string; signature?: string };
  'event-data'?: Record<string, any>;
};

function parse(rawBody: Buffer): MailgunWebhookBody | undefined {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * `signature.signature` must be hex(HMAC-SHA256(signingKey, timestamp + token)),
 * compared in constant time, with a timestamp within five minutes. Refusing a
 * token seen before (replay) needs storage and is the receiver's job.
 */
export function verifyMailgunWebhook(
  request: WebhookRequest,
  signingKey: string,
  now: Date = new Date(),
): boolean {
  const sig = parse(request.rawBody)?.signature;
  if (!sig?.timestamp || !sig.token || !sig.signature || !signingKey)
    return false;
  const age = Math.abs(now.getTime() / 1000 - Number(sig.timestamp));
  if (!Number.isFinite(age) || age > MAX_AGE_SECONDS) return false;
  const expected = createHmac('sha256', signingKey)
    .update(sig.timestamp + sig.token)
    .digest();
  const given = Buffer.from(sig.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
