import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { createRouterFixture } from '../__testUtils__/routerFixture';
import {
  messageIdsOf,
  SEND_JOB,
  SEND_QUEUE,
} from '../services/messages/MessageService';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'resend and mark sent by hand on %s',
  databaseId => {
    const setup = async () => {
      const fixture = await createRouterFixture(databases, databaseId);
      /** A message whose send outcome was unknown, as the dispatcher leaves it. */
      const unknownMessage = async () => {
        const { messages } = await fixture.messages.accept(
          {
            to: ['ada@example.com'],
            subject: 'Receipt',
            text: 'Hi',
            emailType: 'transactional',
          },
          { ref: 'plugin:orders' },
        );
        const id = messages[0].id;
        // Its first job ran (and ended) with the unknown send.
        await fixture.knex('esp_jobs').where({ queue: SEND_QUEUE }).delete();
        await fixture.messageStore.update(id, {
          status: 'unknown',
          provider: 'postmark',
          reason:
            'Timed out: whether Postmark accepted the message is unknown.',
        });
        await fixture.messageStore.addAttempt({
          messageId: id,
          provider: 'postmark',
          startedAt: new Date(),
          durationMs: 20_000,
          outcome: 'unknown',
          errorClass: 'timeout',
          error: 'Timed out',
        });
        return id;
      };
      const post = (path: string, body?: object) =>
        fixture.call({ method: 'post', path, body });
      const sendJobs = async () =>
        (await fixture.knex('esp_jobs').where({ queue: SEND_QUEUE }))
          .filter(j => j.type === SEND_JOB)
          .flatMap(j => messageIdsOf(JSON.parse(j.payload)));
      return { ...fixture, unknownMessage, post, sendJobs };
    };

    it('resends an unknown message: queued again with a send job, the attempt noted, audited', async () => {
      const { unknownMessage, post, sendJobs, auditor, auditEvent } =
        await setup();
      const id = await unknownMessage();

      const res = await post(`/messages/${id}/resend`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id,
        status: 'queued',
        reason:
          'Sent again by user:default/mock after checking with the provider.',
      });
      expect(res.body.attempts).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          errorClass: 'timeout',
          error:
            'Whether the provider accepted it was unknown; user:default/mock had it sent again.',
        }),
      ]);
      expect(await sendJobs()).toEqual([id]);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'message-resend',
          meta: { messageId: id },
        }),
      );
      expect(auditEvent.success).toHaveBeenCalled();

      // Queued now, not unknown: a second resend is refused and queues nothing.
      const again = await post(`/messages/${id}/resend`);
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        `Message ${id} is queued: only a message whose outcome is unknown can be resent.`,
      );
      expect(await sendJobs()).toEqual([id]);
    });

    it('marks an unknown message sent, with the provider message id the admin found', async () => {
      const { unknownMessage, post, sendJobs, auditor } = await setup();
      const id = await unknownMessage();

      const res = await post(`/messages/${id}/mark-sent`, {
        providerMessageId: ' pm-42 ',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'sent',
        providerMessageId: 'pm-42',
        reason:
          'Marked sent by user:default/mock after checking with the provider.',
      });
      expect(res.body.attempts[0]).toMatchObject({ outcome: 'sent' });
      expect(await sendJobs()).toEqual([]);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'message-mark-sent',
          meta: { messageId: id, providerMessageId: 'pm-42' },
        }),
      );

      const resend = await post(`/messages/${id}/resend`);
      expect(resend.status).toBe(409);
      expect(resend.body.error.message).toBe(
        `Message ${id} is sent: only a message whose outcome is unknown can be resent.`,
      );
    });

    it('marks sent without a provider message id, and refuses a bad body with a sentence', async () => {
      const { unknownMessage, post } = await setup();
      const id = await unknownMessage();

      const bad = await post(`/messages/${id}/mark-sent`, {
        providerMessageId: '',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(
        'Enter the provider message id, or leave it out',
      );

      const res = await post(`/messages/${id}/mark-sent`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'sent',
        providerMessageId: null,
      });
    });

    it('answers 404 for an id that names no message', async () => {
      const { post } = await setup();
      for (const action of ['resend', 'mark-sent']) {
        const res = await post(`/messages/no-such-id/${action}`);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe('There is no message no-such-id');
      }
    });

    it('refuses services (admins only)', async () => {
      const { unknownMessage, call } = await setup();
      const id = await unknownMessage();
      const res = await call(
        { method: 'post', path: `/messages/${id}/resend` },
        mockCredentials.service.header(),
      );
      expect(res.status).toBe(403);
    });
  },
);
