import { timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from '../types';

/**
 * Postmark does not sign webhooks: the webhook URL carries HTTP Basic
 * credentials, which arrive as `Authorization: Basic …`. `credentials` is the
 * expected `user:password`; compared in constant time.
 */
export function verifyPostmarkWebhook(
  request: WebhookRequest,
  credentials: string,
): boolean {
  const header = request.headers.authorization ?? '';
  if (!credentials || !header.startsWith('Basic ')) return false;
  const given = Buffer.from(header.slice('Basic '.length).trim(), 'base64');
  const expected = Buffer.from(credentials, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
