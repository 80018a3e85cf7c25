import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { WEBHOOK_EVENTS_SIGNAL_CHANNEL } from '@internal/plugin-esp-common';
import request from 'supertest';
import {
  basicHeader,
  createWebhookFixture,
  loggedWarnings,
  mailgunDelivered,
  POSTMARK_AUTH,
  postmarkDelivery,
  recordingProcessor,
  signedMailgunBody,
} from '../__testUtils__/webhookFixture';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'webhook receivers on %s',
  databaseId => {
    async function setup(config?: object) {
      const knex = await databases.init(databaseId);
      const notifications = { send: jest.fn(async () => {}) };
      const processor = recordingProcessor();
      const fixture = await createWebhookFixture({
        knex,
        config,
        notifications: notifications as unknown as NotificationService,
        processor,
      });
      const storedCount = async () =>
        Number((await knex('esp_webhook_events').count({ n: '*' }).first())?.n);
      const jobCount = async () =>
        Number(
          (
            await knex('esp_jobs')
              .where({ queue: 'webhook-events' })
              .count({ n: '*' })
              .first()
          )?.n,
        );
      const postMailgun = (body: unknown) =>
        request(fixture.app)
          .post('/webhooks/mailgun')
          .send(body as object);
      const postPostmark = (
        body: unknown,
        headers: Record<string, string> = {
          Authorization: basicHeader(POSTMARK_AUTH),
        },
      ) =>
        request(fixture.app)
          .post('/webhooks/postmark')
          .set(headers)
          .send(body as object);
      return {
        ...fixture,
        knex,
        notifications,
        processor,
        storedCount,
        jobCount,
        postMailgun,
        postPostmark,
      };
    }

    it('stores and acknowledges a signed Mailgun event, enqueues it once, and the worker processes it', async () => {
      const f = await setup();
      const eventData = mailgunDelivered('mg-evt-1');
      const res = await f.postMailgun(signedMailgunBody(eventData));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'accepted', id: expect.any(String) });
      expect(await f.storedCount()).toBe(1);
      expect(await f.jobCount()).toBe(1);

      // Mailgun's retry carries a new signature: a duplicate, acknowledged, stored once, no second job.
      const retry = await f.postMailgun(signedMailgunBody(eventData));
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ status: 'duplicate', id: res.body.id });
      expect(await f.storedCount()).toBe(1);
      expect(await f.jobCount()).toBe(1);

      expect(await f.webhookWorker!.drain()).toBe(1);
      expect(f.processor.seen).toEqual([res.body.id]);
      const view = await request(f.app)
        .get(`/webhooks/events/${res.body.id}`)
        .set('Authorization', mockCredentials.user.header());
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        id: res.body.id,
        provider: 'mailgun',
        providerEventId: 'mg-evt-1',
        status: 'processed',
        type: 'delivered',
        payload: { 'event-data': eventData },
        result: { note: 'test' },
        attempts: 1,
      });
      await f.webhookSignals!.flush();
      expect(f.signals.publish).toHaveBeenCalledWith({
        recipients: {
          type: 'user',
          entityRef: ['group:default/esp-admins'],
        },
        channel: WEBHOOK_EVENTS_SIGNAL_CHANNEL,
        message: { provider: 'mailgun', count: 1 },
      });
    });

    it('stores and acknowledges a Postmark event with its Basic credentials and secret header', async () => {
      const f = await setup();
      f.secrets.postmark = {
        ...POSTMARK_AUTH,
        header: { name: 'X-Esp-Webhook-Secret', value: 'h3ader-s3cret' },
      };
      const auth = basicHeader(POSTMARK_AUTH);
      const body = postmarkDelivery('pm-msg-1');
      const ok = await f.postPostmark(body, {
        Authorization: auth,
        'X-Esp-Webhook-Secret': 'h3ader-s3cret',
        'X-PM-Webhook-Trace-Id': 'trace-1',
      });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('accepted');
      const wrongHeader = await f.postPostmark(postmarkDelivery(), {
        Authorization: auth,
        'X-Esp-Webhook-Secret': 'guess',
      });
      expect(wrongHeader.status).toBe(401);
      const noHeader = await f.postPostmark(postmarkDelivery(), {
        Authorization: auth,
      });
      expect(noHeader.status).toBe(401);
      expect(await f.storedCount()).toBe(1);
      const stored = await f.webhookStore.get(ok.body.id);
      expect(stored?.providerEventId).toBe('trace-1');
    });

    it('refuses forged, stale, replayed and unsigned Mailgun posts, storing nothing, logging a security warning', async () => {
      const f = await setup();
      const forged = await f.postMailgun(
        signedMailgunBody(mailgunDelivered(), { key: 'not-the-key' }),
      );
      expect(forged.status).toBe(401);
      expect(forged.body).toEqual({
        error: 'Webhook verification failed: signature mismatch',
      });
      const stale = await f.postMailgun(
        signedMailgunBody(mailgunDelivered(), {
          timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
        }),
      );
      expect(stale.status).toBe(401);
      expect(stale.body.error).toMatch(/timestamp/);
      const unsigned = await f.postMailgun({
        'event-data': mailgunDelivered(),
      });
      expect(unsigned.status).toBe(401);

      // A captured signature re-used, on the same body or a forged one.
      const first = signedMailgunBody(mailgunDelivered('mg-first'));
      expect((await f.postMailgun(first)).status).toBe(200);
      const replayed = await f.postMailgun(first);
      expect(replayed.status).toBe(401);
      expect(replayed.body.error).toMatch(/replayed/);
      const forgedOnCapturedSignature = await f.postMailgun({
        ...first,
        'event-data': mailgunDelivered('mg-forged'),
      });
      expect(forgedOnCapturedSignature.status).toBe(401);
      expect(await f.storedCount()).toBe(1);
      expect(await f.jobCount()).toBe(1);

      const warnings = loggedWarnings(f.logger);
      expect(warnings).toContainEqual(
        expect.stringMatching(
          /^Security warning: refused a Mailgun webhook \(signature mismatch\) from (::ffff:)?127\.0\.0\.1$/,
        ),
      );
      // Neither the body nor the signature reach the log.
      expect(JSON.stringify(warnings)).not.toContain(first.signature.signature);
      expect(
        await f.webhookStore.rejectedSince(new Date(Date.now() - 60_000)),
      ).toEqual({ mailgun: 5, postmark: 0 });
    });

    it('refuses Postmark posts without or with wrong Basic credentials', async () => {
      const f = await setup();
      const none = await f.postPostmark(postmarkDelivery(), {});
      expect(none.status).toBe(401);
      expect(none.body.error).toMatch(/missing Basic credentials/);
      const wrong = await f.postPostmark(postmarkDelivery(), {
        Authorization: basicHeader({ username: 'esp-hub', password: 'guess' }),
      });
      expect(wrong.status).toBe(401);
      f.secrets.postmark = undefined;
      const notGenerated = await f.postPostmark(postmarkDelivery());
      expect(notGenerated.status).toBe(401);
      expect(await f.storedCount()).toBe(0);
    });

    it('enforces the Postmark IP allowlist when configured', async () => {
      const outside = await setup({
        webhooks: {
          postmark: {
            ipAllowlist: { enforce: true, ranges: ['3.134.147.250/32'] },
          },
        },
      });
      const refused = await outside.postPostmark(postmarkDelivery());
      expect(refused.status).toBe(401);
      expect(refused.body.error).toMatch(/allowlist/);
      expect(await outside.storedCount()).toBe(0);

      const inside = await setup({
        webhooks: {
          postmark: {
            ipAllowlist: {
              enforce: true,
              ranges: ['3.134.147.250/32', '127.0.0.0/8', '::1/128'],
            },
          },
        },
      });
      expect((await inside.postPostmark(postmarkDelivery())).status).toBe(200);
    });

    it('answers 400 for a body that is not JSON or lacks required fields, and 413 beyond the limit, storing nothing', async () => {
      const f = await setup();
      const notJson = await request(f.app)
        .post('/webhooks/postmark')
        .set('Authorization', basicHeader(POSTMARK_AUTH))
        .set('Content-Type', 'application/json')
        .send('{"RecordType": ');
      expect(notJson.status).toBe(400);
      expect(notJson.body).toEqual({ error: 'The body is not valid JSON' });
      const mailgunNotJson = await request(f.app)
        .post('/webhooks/mailgun')
        .set('Content-Type', 'text/plain')
        .send('hello');
      expect(mailgunNotJson.status).toBe(400);

      const { DeliveredAt: _, ...noTime } = postmarkDelivery();
      const missing = await f.postPostmark(noTime);
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: 'Missing field: DeliveredAt' });
      const { id: __, ...noId } = mailgunDelivered();
      const mailgunMissing = await f.postMailgun(signedMailgunBody(noId));
      expect(mailgunMissing.status).toBe(400);
      expect(mailgunMissing.body).toEqual({
        error: 'Missing field: event-data.id',
      });

      const huge = await f.postPostmark({
        ...postmarkDelivery(),
        Details: 'x'.repeat(1_100_000),
      });
      expect(huge.status).toBe(413);
      expect(huge.body.error).toMatch(/larger than the 1mb/);
      expect(await f.storedCount()).toBe(0);
    });

    it('alerts the admins once per provider per ten minutes across two replicas, with the count since the last alert', async () => {
      const knex = await databases.init(databaseId);
      const notifications = { send: jest.fn(async () => {}) };
      // One after the other: both would migrate the schema at once otherwise.
      const replicas: Array<Awaited<ReturnType<typeof createWebhookFixture>>> =
        [];
      for (let i = 0; i < 2; i++) {
        replicas.push(
          await createWebhookFixture({
            knex,
            notifications: notifications as unknown as NotificationService,
          }),
        );
      }
      const forged = () =>
        signedMailgunBody(mailgunDelivered(), { key: 'attacker' });
      const answers = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(i =>
          request(replicas[i % 2].app)
            .post('/webhooks/mailgun')
            .send(forged()),
        ),
      );
      expect(answers.map(a => a.status)).toEqual([
        401, 401, 401, 401, 401, 401,
      ]);
      expect(notifications.send).toHaveBeenCalledTimes(1);
      const [first] = notifications.send.mock.calls[0] as unknown as [
        { recipients: unknown; payload: { title: string; topic: string } },
      ];
      expect(first.recipients).toEqual({
        type: 'entity',
        entityRef: ['group:default/esp-admins'],
      });
      expect(first.payload.topic).toBe('esp-webhook-security');
      expect(first.payload.title).toMatch(/^Mailgun webhooks refused/);

      // Ten minutes on, the next refusal alerts with the refusals since the first alert.
      const alertedAt = await knex('esp_webhook_rejection_alerts')
        .where({ provider: 'mailgun' })
        .first();
      const unalerted = Number(alertedAt.unalerted);
      await knex('esp_webhook_rejection_alerts')
        .where({ provider: 'mailgun' })
        .update({ last_alert_at: new Date(Date.now() - 11 * 60_000) });
      await request(replicas[1].app).post('/webhooks/mailgun').send(forged());
      expect(notifications.send).toHaveBeenCalledTimes(2);
      const second = notifications.send.mock.calls[1] as unknown as [
        { payload: { title: string } },
      ];
      const firstCount = Number(
        /: (\d+) request/.exec(first.payload.title)![1],
      );
      expect(firstCount + unalerted).toBe(6);
      expect(second[0].payload.title).toContain(`${unalerted + 1} request`);
    });

    it('lists, filters, pages and exports the stored events for admins', async () => {
      const f = await setup();
      for (let i = 0; i < 3; i++) {
        await f.postMailgun(signedMailgunBody(mailgunDelivered(`mg-${i}`)));
      }
      await f.postPostmark(postmarkDelivery('=HYPERLINK("x")'));
      const user = mockCredentials.user.header();
      const page1 = await request(f.app)
        .get('/webhooks/events?limit=2')
        .set('Authorization', user);
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(2);
      const page2 = await request(f.app)
        .get(`/webhooks/events?limit=2&cursor=${page1.body.nextCursor}`)
        .set('Authorization', user);
      expect(page2.body.items).toHaveLength(2);
      expect(page2.body.nextCursor).toBeNull();
      const mailgunOnly = await request(f.app)
        .get('/webhooks/events?provider=mailgun&status=pending')
        .set('Authorization', user);
      expect(
        mailgunOnly.body.items.map((e: any) => e.providerEventId).sort(),
      ).toEqual(['mg-0', 'mg-1', 'mg-2']);
      const bad = await request(f.app)
        .get('/webhooks/events?status=nope')
        .set('Authorization', user);
      expect(bad.status).toBe(400);
      const missing = await request(f.app)
        .get('/webhooks/events/nope')
        .set('Authorization', user);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe('No webhook event with id nope');

      const csv = await request(f.app)
        .get('/webhooks/events.csv?provider=mailgun')
        .set('Authorization', user);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe(
        'received_at,provider,type,status,email,message_id,provider_message_id,details,occurred_at,provider_event_id,id',
      );
      expect(lines).toHaveLength(4);
      const all = await request(f.app)
        .get('/webhooks/events.csv')
        .set('Authorization', user);
      expect(all.text.trim().split('\n')).toHaveLength(5);

      // Admin routes are for users: a service principal is refused.
      const service = await request(f.app)
        .get('/webhooks/events')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(403);
    });
  },
);
