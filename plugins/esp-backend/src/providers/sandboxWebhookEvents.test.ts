import {
  startMailgunSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MailgunAdapter } from './mailgun/MailgunAdapter';
import { normalizeMailgunEvents } from './mailgun/mailgunEvents';
import { verifyMailgunWebhook } from './mailgun/mailgunWebhooks';
import { PostmarkAdapter } from './postmark/PostmarkAdapter';
import { normalizePostmarkEvents } from './postmark/postmarkEvents';
import { verifyPostmarkWebhook } from './postmark/postmarkWebhooks';

jest.setTimeout(30_000);

const FAST = { minDelayMs: 5, maxDelayMs: 20, retryDelayMs: 20, seed: 7 };

/** A receiver that checks each request as ESP Hub does and keeps what it accepted. */
async function startReceiver(verify: (raw: Buffer, headers: any) => boolean) {
  const accepted: any[] = [];
  const refused: any[] = [];
  let failNext = 0;
  const app = express();
  app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
    if (failNext > 0) {
      failNext--;
      return res.status(503).end();
    }
    const body = JSON.parse((req.body as Buffer).toString('utf8'));
    if (!verify(req.body, req.headers)) {
      refused.push(body);
      return res.status(401).end();
    }
    accepted.push(body);
    return res.status(200).json({ ok: true });
  });
  const server = http.createServer(app);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    accepted,
    refused,
    failNextRequests: (n: number) => {
      failNext = n;
    },
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

async function until(check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('the stand-ins post events to the webhooks registered through their APIs', () => {
  it('Postmark: Delivery, Open and Click with the Basic credentials and header, retried after a 503', async () => {
    const auth = {
      username: 'esphub-1',
      password: 'pw-0001',
      header: { name: 'X-ESP-Hub-Webhook-Secret', value: 'hv-0001' },
    };
    const receiver = await startReceiver(
      (raw, headers) =>
        verifyPostmarkWebhook(
          { rawBody: raw, headers },
          `${auth.username}:${auth.password}`,
        ) && headers['x-esp-hub-webhook-secret'] === auth.header.value,
    );
    const sandbox = await startPostmarkSandbox({
      serverTokens: ['t'],
      events: {
        ...FAST,
        bounceRate: 0,
        openRate: 1,
        clickRate: 1,
        complaintRate: 0,
        unsubscribeRate: 0,
      },
    });
    sandbox.state.addVerifiedDomain('example.com');
    const conn = {
      serverToken: 't',
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      messageStream: 'outbound',
    };
    const adapter = new PostmarkAdapter();
    try {
      await adapter.registerWebhooks(conn, {
        url: receiver.url,
        auth,
        subscriptions: ['Delivery', 'Open', 'Click'],
      });
      receiver.failNextRequests(1);
      const receipt = await adapter.sendEmail(conn, {
        from: 'noreply@example.com',
        to: 'ada@example.com',
        subject: 'Hi',
        text: 'Hello',
      });
      await until(
        () =>
          receiver.accepted.length === 3 && sandbox.events!.posted.length === 3,
      );
      expect(receiver.accepted.map(b => b.RecordType).sort()).toEqual([
        'Click',
        'Delivery',
        'Open',
      ]);
      expect(receiver.refused).toEqual([]);
      // ESP Hub's own reading of the bodies finds the message and recipient.
      for (const body of receiver.accepted) {
        expect(normalizePostmarkEvents(body)[0]).toMatchObject({
          messageId: receipt.messageId,
          recipient: 'ada@example.com',
        });
      }
      expect(sandbox.events!.posted.some(p => p.attempts === 2)).toBe(true);
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });

  it('Mailgun: signed bounces of each class and nothing for unsubscribed ids', async () => {
    const sandbox = await startMailgunSandbox({
      apiKeys: ['k'],
      events: { ...FAST, bounceRate: 1 },
    });
    sandbox.state.addVerifiedDomain('mg.example.com');
    const receiver = await startReceiver((raw, headers) =>
      verifyMailgunWebhook(
        { rawBody: raw, headers },
        sandbox.state.httpSigningKey,
      ),
    );
    const conn = {
      apiKey: 'k',
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      domain: 'mg.example.com',
      region: 'us' as const,
      testMode: false,
      dkimSigning: false,
    };
    const adapter = new MailgunAdapter();
    try {
      // permanent_fail only: the soft bounce (temporary_fail) is not posted.
      await adapter.registerWebhooks(conn, {
        url: receiver.url,
        subscriptions: ['permanent_fail'],
      });
      for (let i = 0; i < 5; i++) {
        await adapter.sendEmail(conn, {
          from: 'noreply@mg.example.com',
          to: `user${i}@example.com`,
          subject: 'Hi',
          text: 'Hello',
        });
      }
      await until(() => sandbox.events!.posted.length === 4);
      expect(receiver.refused).toEqual([]);
      const events = receiver.accepted.map(b => normalizeMailgunEvents(b)[0]);
      expect(
        events.every(e => e.type === 'bounced' && e.bounce === 'hard'),
      ).toBe(true);
      expect(
        receiver.accepted.map(b => b['event-data']['delivery-status'].code),
      ).toEqual(expect.arrayContaining([550, 554, 0]));
    } finally {
      await sandbox.close();
      await receiver.close();
    }
  });
});
