import type { WebhookEventView } from '@internal/plugin-esp-common';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { normalizeMailgunEvents } from '../providers/mailgun/mailgunEvents';
import { verifyMailgunWebhook } from '../providers/mailgun/mailgunWebhooks';
import { normalizePostmarkEvents } from '../providers/postmark/postmarkEvents';
import { verifyPostmarkWebhook } from '../providers/postmark/postmarkWebhooks';
import type { WebhookSecrets } from './WebhookSecrets';
import { WebhookTester } from './WebhookTester';

const AUTH = {
  username: 'esphub-0a1b2c3d',
  password: 'test-password-000000000000000000',
  header: { name: 'X-ESP-Hub-Webhook-Secret', value: 'header-value-0001' },
};
const SIGNING_KEY = 'mailgun-signing-key-0001';

/**
 * A receiver standing in for ingest's: verifies as ESP Hub does, stores what
 * it accepted by the body's text, answers 401 for a bad signature.
 */
async function startReceiver() {
  const stored = new Map<string, WebhookEventView>();
  const app = express();
  app.post(
    '/api/esp/webhooks/:provider',
    express.raw({ type: '*/*' }),
    (req, res) => {
      const request = {
        rawBody: req.body as Buffer,
        headers: req.headers as Record<string, string>,
      };
      const ok =
        req.params.provider === 'postmark'
          ? verifyPostmarkWebhook(
              request,
              `${AUTH.username}:${AUTH.password}`,
            ) && req.header(AUTH.header.name) === AUTH.header.value
          : verifyMailgunWebhook(request, SIGNING_KEY);
      if (!ok) return res.status(401).json({ error: 'Unauthorized' });
      const payload = JSON.parse(request.rawBody.toString('utf8'));
      const [normalized] =
        req.params.provider === 'postmark'
          ? normalizePostmarkEvents(payload)
          : normalizeMailgunEvents(payload);
      stored.set(request.rawBody.toString('utf8'), {
        id: String(stored.size + 1),
        provider: req.params.provider as 'postmark' | 'mailgun',
        providerEventId: normalized?.eventId ?? 'unknown',
        type: null,
        email: normalized?.recipient ?? null,
        messageId: null,
        providerMessageId: normalized?.messageId ?? null,
        status: 'processed',
        details: normalized?.type ?? null,
        occurredAt: normalized?.occurredAt ?? null,
        receivedAt: new Date().toISOString(),
        payload,
        result: null,
        attempts: 1,
      });
      return res.status(200).json({ ok: true });
    },
  );
  const server = http.createServer(app);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stored,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

describe('WebhookTester', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(() => receiver.close());

  function tester(secrets: Partial<WebhookSecrets> = {}) {
    return new WebhookTester({
      secrets: {
        postmarkAuth: async () => AUTH,
        mailgunSigningKey: async () => SIGNING_KEY,
        subscriptions: async () => [],
        ...secrets,
      },
      receiverBaseUrl: receiver.baseUrl,
      recentMessage: async provider =>
        provider === 'postmark'
          ? { email: 'ada@example.com', providerMessageId: 'pm-message-1' }
          : undefined,
      findStoredEvent: async (_provider, payload) =>
        receiver.stored.get(JSON.stringify(payload)) ?? null,
    });
  }

  it.each(['delivered', 'bounced', 'opened', 'clicked'] as const)(
    'posts a Postmark %s event for the latest message, with the Basic credentials and header, and reads it back',
    async eventType => {
      const result = await tester().send({ provider: 'postmark', eventType });
      expect(result.httpStatus).toBe(200);
      expect(result.event).toMatchObject({
        provider: 'postmark',
        email: 'ada@example.com',
        providerMessageId: 'pm-message-1',
        details: {
          delivered: 'delivered',
          bounced: 'bounced',
          opened: 'opened',
          clicked: 'clicked',
        }[eventType],
      });
      expect(result.payload).toMatchObject({ MessageID: 'pm-message-1' });
    },
  );

  it.each(['delivered', 'bounced', 'opened', 'clicked'] as const)(
    'posts a signed Mailgun %s event for a sample address when none was sent',
    async eventType => {
      const result = await tester().send({ provider: 'mailgun', eventType });
      expect(result.httpStatus).toBe(200);
      expect(result.event).toMatchObject({
        provider: 'mailgun',
        email: 'test-recipient@example.com',
      });
      expect(result.event?.providerEventId).toBe(
        (result.payload as any)['event-data'].id,
      );
    },
  );

  it('answers what the receiver answered when the credentials are wrong, with no event', async () => {
    const result = await tester({
      mailgunSigningKey: async () => 'another-key',
    }).send({ provider: 'mailgun', eventType: 'delivered' });
    expect(result).toMatchObject({ httpStatus: 401, event: null });
  });

  it('is a 409 before the secrets exist', async () => {
    await expect(
      tester({ postmarkAuth: async () => undefined }).send({
        provider: 'postmark',
        eventType: 'delivered',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });
});
