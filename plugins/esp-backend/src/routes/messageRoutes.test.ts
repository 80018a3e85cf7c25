import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { SEND_ROUTES } from '../__testUtils__/adminRoutes';
import { createRouterFixture } from '../__testUtils__/routerFixture';
import { SEND_QUEUE } from '../services/messages/MessageService';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(60_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

const email = (overrides: object = {}) => ({
  to: ['ada@example.com'],
  subject: 'Your receipt',
  text: 'Thanks for your order',
  emailType: 'transactional',
  ...overrides,
});

describe.each(databases.eachSupportedId())('the send API on %s', databaseId => {
  const setup = async (options?: { deny?: boolean }) => {
    const fixture = await createRouterFixture(databases, databaseId, options);
    const counts = async () => ({
      messages: Number(
        (await fixture.knex('esp_messages').count({ n: '*' }).first())?.n,
      ),
      jobs: Number(
        (
          await fixture
            .knex('esp_jobs')
            .where({ queue: SEND_QUEUE })
            .count({ n: '*' })
            .first()
        )?.n,
      ),
    });
    const send = (
      body: object,
      key?: string,
      header = mockCredentials.service.header(),
    ) => {
      const req = fixture.call(
        { method: 'post', path: '/messages', body },
        header,
      );
      return key ? req.set('Idempotency-Key', key) : req;
    };
    return { ...fixture, counts, send };
  };

  it('accepts one message from a service with 202, stores it with its job, and shows its status', async () => {
    const { send, call, counts, knex } = await setup();
    const res = await send(
      email({ tags: ['receipt'], metadata: { orderId: '42' } }),
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      messages: [{ id: expect.any(String), status: 'queued' }],
    });
    expect(await counts()).toEqual({ messages: 1, jobs: 1 });
    const job = await knex('esp_jobs').where({ queue: SEND_QUEUE }).first();
    expect(JSON.parse(job.payload)).toEqual({
      messageIds: [res.body.messages[0].id],
    });

    const status = await call(
      { method: 'get', path: `/messages/${res.body.messages[0].id}` },
      mockCredentials.service.header(),
    );
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: res.body.messages[0].id,
      status: 'queued',
      emailType: 'transactional',
      provider: null,
      providerMessageId: null,
      attempts: [],
      trace: null,
    });
    const unknown = await call({ method: 'get', path: '/messages/nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('There is no message nope');
  });

  it('records who sent it: a user by entity ref, a service by subject', async () => {
    const { send, knex } = await setup();
    await send(email(), undefined, mockCredentials.user.header());
    await send(email(), undefined, mockCredentials.service.header());
    const rows = await knex('esp_messages').select('created_by');
    expect(rows.map(r => r.created_by).sort()).toEqual(
      [mockCredentials.service().principal.subject, 'user:default/mock'].sort(),
    );
  });

  it('takes a batch all or nothing: one bad message is a 400 naming its index and field, and nothing is stored', async () => {
    const { send, counts } = await setup();
    const bad = await send({
      messages: [
        email(),
        email({ to: ['not an address'] }),
        email(),
        email({ subject: '' }),
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    expect(bad.body.error.message).toMatch(/^Nothing was sent\. /);
    expect(bad.body.error.message).toContain('Message 1 (messages[1]): ');
    expect(bad.body.error.message).toContain('Enter an email address');
    expect(bad.body.error.message).toContain('Message 3 (messages[3]): ');
    expect(bad.body.error.message).not.toContain('messages[0]');
    expect(await counts()).toEqual({ messages: 0, jobs: 0 });

    const good = await send({
      messages: [email(), email({ html: '<p>Hi</p>', text: undefined })],
    });
    expect(good.status).toBe(202);
    expect(good.body.messages).toHaveLength(2);
    expect(new Set(good.body.messages.map((m: any) => m.id)).size).toBe(2);
    // One job for the request's messages: they are sent as a batch.
    expect(await counts()).toEqual({ messages: 2, jobs: 1 });
  });

  it('refuses an empty batch, one over 500, a message without a body, and a body that is not an object', async () => {
    const { send, counts } = await setup();
    const over = await send({
      messages: Array.from({ length: 501 }, () => email()),
    });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toBe(
      'A request holds at most 500 messages; this one has 501.',
    );
    expect((await send({ messages: [] })).status).toBe(400);
    const noBody = await send(email({ text: undefined }));
    expect(noBody.status).toBe(400);
    expect(noBody.body.error.message).toContain(
      'Give the message a text or an html body',
    );
    expect((await send([email()])).status).toBe(400);
    expect(await counts()).toEqual({ messages: 0, jobs: 0 });
  });

  it('accepts a batch of 500 in one transaction', async () => {
    const { send, counts } = await setup();
    const res = await send({
      messages: Array.from({ length: 500 }, (_, i) =>
        email({ to: [`u${i}@example.com`] }),
      ),
    });
    expect(res.status).toBe(202);
    expect(res.body.messages).toHaveLength(500);
    expect(await counts()).toEqual({ messages: 500, jobs: 1 });
  });

  it('takes attachments up to 10 MB in all and refuses more with a 400, stored nothing', async () => {
    const { send, counts } = await setup();
    const fiveMb = Buffer.alloc(5 * 1024 * 1024, 7).toString('base64');
    const attachment = {
      filename: 'report.pdf',
      contentType: 'application/pdf',
      content: fiveMb,
    };
    const ok = await send({
      messages: [
        email({ attachments: [attachment] }),
        email({ attachments: [attachment] }),
      ],
    });
    expect(ok.status).toBe(202);
    const tooMuch = await send({
      messages: [
        email({ attachments: [attachment] }),
        email({
          attachments: [attachment, { ...attachment, content: 'AAAA' }],
        }),
      ],
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toContain('at most 10 MB in all');
    expect(await counts()).toEqual({ messages: 2, jobs: 1 });
    // A body past the route's 16 MB limit is refused before it is parsed.
    const huge = await send(email({ text: 'x'.repeat(17 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
  });

  it('answers the same Idempotency-Key and body with the first answer, queues nothing twice, and 409s a different body', async () => {
    const { send, counts } = await setup();
    const first = await send(email(), 'order-42');
    expect(first.status).toBe(202);
    // The same body with its fields in another order is the same request.
    const { to, ...rest } = email();
    const again = await send({ ...rest, to }, 'order-42');
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual({ messages: 1, jobs: 1 });

    const changed = await send(email({ subject: 'Another' }), 'order-42');
    expect(changed.status).toBe(409);
    expect(changed.body.error.message).toContain("Idempotency-Key 'order-42'");
    expect(await counts()).toEqual({ messages: 1, jobs: 1 });

    // Keys belong to their caller: a user's order-42 is another request.
    const user = await send(email(), 'order-42', mockCredentials.user.header());
    expect(user.status).toBe(202);
    expect(user.body.messages[0].id).not.toBe(first.body.messages[0].id);

    const bad = await send(email(), 'has spaces in it');
    expect(bad.status).toBe(400);
    expect(await counts()).toEqual({ messages: 2, jobs: 2 });
  });

  it('stores concurrent requests with one key once', async () => {
    const { send, counts } = await setup();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => send(email(), 'same-key')),
    );
    const ok = answers.filter(a => a.status === 202);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const a of answers) expect([202, 409]).toContain(a.status);
    expect(new Set(ok.map(a => a.body.messages[0].id)).size).toBe(1);
    expect(await counts()).toEqual({ messages: 1, jobs: 1 });
  });

  it('marks a message to a suppressed address suppressed with the reason and queues no job for it', async () => {
    const { send, call, counts, auditor } = await setup();
    const added = await call({
      method: 'post',
      path: '/suppressions',
      body: {
        address: ' Bounced@Example.com ',
        reason: 'Hard bounce at the provider',
      },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      address: 'bounced@example.com',
      reason: 'Hard bounce at the provider',
      source: 'manual',
      createdBy: 'user:default/mock',
    });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'suppression-add' }),
    );

    const res = await send({
      messages: [email(), email({ cc: ['BOUNCED@example.com'] })],
    });
    expect(res.status).toBe(202);
    expect(res.body.messages[0].status).toBe('queued');
    expect(res.body.messages[1]).toEqual({
      id: expect.any(String),
      status: 'suppressed',
      reason:
        'bounced@example.com is on the suppression list: Hard bounce at the provider',
    });
    expect(await counts()).toEqual({ messages: 2, jobs: 1 });
    const status = await call({
      method: 'get',
      path: `/messages/${res.body.messages[1].id}`,
    });
    expect(status.body).toMatchObject({
      status: 'suppressed',
      reason: res.body.messages[1].reason,
    });

    const list = await call({
      method: 'get',
      path: '/suppressions?search=bounced',
    });
    expect(list.body.total).toBe(1);
    expect(
      (await call({ method: 'get', path: '/suppressions?limit=0' })).status,
    ).toBe(400);

    const removed = await call({
      method: 'delete',
      path: '/suppressions/Bounced@example.com',
    });
    expect(removed.status).toBe(204);
    const gone = await call({
      method: 'delete',
      path: '/suppressions/bounced@example.com',
    });
    expect(gone.status).toBe(404);
    const later = await send(email({ to: ['bounced@example.com'] }));
    expect(later.body.messages[0].status).toBe('queued');
  });

  it('asks the policy for services too: a service without esp.message.send is refused before anything is stored', async () => {
    const { call, counts } = await setup({ deny: true });
    for (const route of SEND_ROUTES) {
      const service = await call(route, mockCredentials.service.header());
      expect(service.status).toBe(403);
      const user = await call(route);
      expect(user.status).toBe(403);
      const anonymous = await call(route, mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    }
    expect(await counts()).toEqual({ messages: 0, jobs: 0 });
  });
});
