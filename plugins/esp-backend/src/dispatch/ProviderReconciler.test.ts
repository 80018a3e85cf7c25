import { TestDatabases } from '@backstage/backend-test-utils';
import {
  defaultRoutingConfig,
  MAILGUN_DEFAULTS,
} from '@internal/plugin-esp-common';
import {
  MailgunSandbox,
  startMailgunSandbox,
  PostmarkSandbox,
  SmtpSandbox,
  startPostmarkSandbox,
  startSmtpSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import {
  createEspServices,
  SERVER_TOKEN,
  validPostmarkInput,
  saveSmtpSink,
} from '../__testUtils__/serviceFixture';
import { createProviders } from '../providers/registry';
import { ManualClock } from '../queue/Clock';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(90_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);
const ADMIN = 'user:default/admin';
const MINUTE = 60_000;
const MAILGUN_KEY = 'key-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe.each(databases.eachSupportedId())(
  'ProviderReconciler against the stand-ins on %s',
  databaseId => {
    let postmark: PostmarkSandbox;
    let smtp: SmtpSandbox;
    let mailgun: MailgunSandbox | undefined;
    afterEach(async () => {
      await mailgun?.close().catch(() => undefined);
      mailgun = undefined;
      await postmark?.close().catch(() => undefined);
      await smtp?.close().catch(() => undefined);
    });

    /** Postmark, or the SMTP sink, as the only provider; no failover. */
    async function setup(provider: 'postmark' | 'smtp' = 'postmark') {
      postmark = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
      postmark.state.addSignature('noreply@example.com', true);
      smtp = await startSmtpSandbox();
      const clock = new ManualClock(new Date());
      const knex = await databases.init(databaseId);
      const services = await createEspServices({
        knex,
        providers: createProviders(),
        config: { providers: { postmark: { baseUrl: postmark.baseUrl } } },
        clock: clock.now,
      });
      await services.configs.saveConfig(
        'postmark',
        { ...validPostmarkInput, serverToken: SERVER_TOKEN },
        ADMIN,
      );
      await saveSmtpSink(services.configs, smtp.port, ADMIN);
      const defaults = defaultRoutingConfig();
      await services.routing.save(
        {
          ...defaults,
          defaultProvider: provider,
          failover: { ...defaults.failover, enabled: false, chain: [provider] },
          cost: {
            ...defaults.cost,
            useFreeTiersFirst: false,
            volumeRouting: { enabled: false, minRecipients: 1000 },
          },
        },
        ADMIN,
      );

      /**
       * What a backend killed mid-request leaves: the message `sending` on
       * the provider, its send job still to run; `accepted` says whether the
       * request had reached the provider.
       */
      async function crashedMidSend(subject: string, accepted: boolean) {
        const { messages } = await services.messages.accept(
          {
            to: ['Ada@Example.com'],
            subject,
            text: 'Hi',
            emailType: 'transactional',
          },
          { ref: 'plugin:orders' },
        );
        const id = messages[0].id;
        await services.messageStore.update(id, { status: 'sending', provider });
        if (accepted) {
          postmark.state.record({
            From: 'noreply@example.com',
            To: 'ada@example.com',
            Subject: subject,
            MessageStream: 'outbound',
            Metadata: { espMessageId: id },
          });
        }
        return id;
      }
      const drain = () => services.sendWorker.drain();
      const status = (id: string) => services.messages.get(id);
      const atPostmark = (subject: string) =>
        postmark.state.messages.filter(m => m.Subject === subject);
      return { services, clock, crashedMidSend, drain, status, atPostmark };
    }

    it('marks sent, with the provider message id, a message Postmark had accepted', async () => {
      const { clock, crashedMidSend, drain, status, atPostmark } =
        await setup();
      const id = await crashedMidSend('Accepted', true);
      await drain();
      expect((await status(id)).status).toBe('unknown');
      expect((await status(id)).reason).toBe(
        'The backend stopped while sending this message, so whether the provider accepted it is unknown. ESP Hub is asking Postmark whether it accepted it.',
      );

      // The first question is asked 15 s after the request (the stored time
      // of the crashed send, a moment after the test clock started).
      clock.advance(20_000);
      await drain();
      const view = await status(id);
      expect(view).toMatchObject({
        status: 'sent',
        provider: 'postmark',
        providerMessageId: atPostmark('Accepted')[0].MessageID,
        reason: null,
      });
      expect(view.attempts).toEqual([
        expect.objectContaining({
          provider: 'postmark',
          outcome: 'sent',
          error: expect.stringContaining(
            'The backend stopped during this request.',
          ),
        }),
      ]);
      expect(atPostmark('Accepted')).toHaveLength(1);
    });

    it('sends again, once, a message Postmark has no record of, only after the indexing lag', async () => {
      const { clock, crashedMidSend, drain, status, atPostmark } =
        await setup();
      const id = await crashedMidSend('Never arrived', false);
      await drain();

      // The first questions find nothing, and nothing is sent yet.
      for (const step of [15_000, MINUTE, 5 * MINUTE]) {
        clock.advance(step);
        await drain();
        expect((await status(id)).status).toBe('unknown');
      }
      expect(atPostmark('Never arrived')).toHaveLength(0);

      clock.advance(30 * MINUTE);
      await drain();
      const view = await status(id);
      expect(view.status).toBe('sent');
      expect(view.providerMessageId).toBe(
        atPostmark('Never arrived')[0].MessageID,
      );
      expect(atPostmark('Never arrived')).toHaveLength(1);
      expect(view.attempts.map(a => [a.outcome, a.error])).toEqual([
        ['failed', expect.stringContaining('Postmark had no record of it')],
        ['sent', null],
      ]);

      // Nothing is left to run that could send it again.
      clock.advance(60 * MINUTE);
      expect(await drain()).toBe(0);
      expect(atPostmark('Never arrived')).toHaveLength(1);
    });

    it('leaves a message alone that an admin settled while the check waited', async () => {
      const { services, clock, crashedMidSend, drain, status, atPostmark } =
        await setup();
      const id = await crashedMidSend('Settled by hand', false);
      await drain();
      await services.messageStore.updateIf(id, 'unknown', {
        status: 'sent',
        reason: null,
      });
      clock.advance(40 * MINUTE);
      await drain();
      expect((await status(id)).status).toBe('sent');
      expect(atPostmark('Settled by hand')).toHaveLength(0);
    });

    it('leaves to an admin, with the reason, a message whose provider cannot be asked (SMTP)', async () => {
      const { clock, crashedMidSend, drain, status } = await setup('smtp');
      const id = await crashedMidSend('Through the relay', false);
      await drain();
      clock.advance(40 * MINUTE);
      await drain();
      const view = await status(id);
      expect(view.status).toBe('unknown');
      expect(view.reason).toBe(
        'Whether Built-in SMTP accepted the message is unknown, and Built-in SMTP cannot be asked; check with the provider, then resend or mark it sent.',
      );
      expect(smtp.messages).toHaveLength(0);
    });

    it('leaves to an admin a message whose provider keeps failing to answer, and sends nothing', async () => {
      const { clock, crashedMidSend, drain, status, atPostmark } =
        await setup();
      const id = await crashedMidSend('Provider down', false);
      await drain();
      postmark.state.failNext(...Array(10).fill(503));
      for (let i = 0; i < 8; i++) {
        clock.advance(5 * MINUTE);
        await drain();
      }
      const view = await status(id);
      expect(view.status).toBe('unknown');
      expect(view.reason).toMatch(
        /^Postmark could not be asked whether it accepted the message \(.+\); check with the provider, then resend or mark it sent\.$/,
      );
      expect(atPostmark('Provider down')).toHaveLength(0);
    });

    it('asks Mailgun through its events API: a message it accepted ends sent, found by its user variable', async () => {
      mailgun = await startMailgunSandbox({ apiKeys: [MAILGUN_KEY] });
      mailgun.state.addVerifiedDomain('mg.example.com');
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        const clock = new ManualClock(new Date());
        const services = await createEspServices({
          knex: await databases.init(databaseId),
          providers: createProviders(),
          config: {
            providers: {
              mailgun: {
                baseUrl: mailgun.baseUrl,
                euBaseUrl: mailgun.baseUrl,
              },
            },
          },
          clock: clock.now,
        });
        await services.configs.saveConfig(
          'mailgun',
          {
            apiKey: MAILGUN_KEY,
            domain: 'mg.example.com',
            region: 'us',
            tracking: MAILGUN_DEFAULTS.tracking,
            advanced: MAILGUN_DEFAULTS.advanced,
          },
          ADMIN,
        );
        const defaults = defaultRoutingConfig();
        await services.routing.save(
          {
            ...defaults,
            defaultProvider: 'mailgun',
            failover: {
              ...defaults.failover,
              enabled: false,
              chain: ['mailgun'],
            },
            cost: {
              ...defaults.cost,
              useFreeTiersFirst: false,
              volumeRouting: { enabled: false, minRecipients: 1000 },
            },
          },
          ADMIN,
        );
        const accept = async (subject: string) => {
          const { messages } = await services.messages.accept(
            {
              from: 'noreply@mg.example.com',
              to: ['ada@example.com'],
              subject,
              text: 'Hi',
              emailType: 'transactional',
            },
            { ref: 'plugin:orders' },
          );
          const id = messages[0].id;
          await services.messageStore.update(id, {
            status: 'sending',
            provider: 'mailgun',
          });
          return id;
        };
        // One reached Mailgun before the crash, one did not.
        const arrived = await accept('Arrived');
        mailgun.state.record({
          domain: 'mg.example.com',
          from: 'noreply@mg.example.com',
          to: ['ada@example.com'],
          subject: 'Arrived',
          text: 'Hi',
          tags: [],
          options: {},
          variables: { espMessageId: arrived },
        });
        const lost = await accept('Lost');
        await services.sendWorker.drain();

        clock.advance(20_000);
        await services.sendWorker.drain();
        expect(await services.messages.get(arrived)).toMatchObject({
          status: 'sent',
          providerMessageId: mailgun.state.messages[0].id,
        });
        expect((await services.messages.get(lost)).status).toBe('unknown');

        clock.advance(31 * MINUTE);
        await services.sendWorker.drain();
        expect((await services.messages.get(lost)).status).toBe('sent');
        expect(
          mailgun.state.messages.map(m => [
            m.subject,
            m.variables?.espMessageId,
          ]),
        ).toEqual([
          ['Arrived', arrived],
          ['Lost', lost],
        ]);
      } finally {
        warn.mockRestore();
      }
    });
  },
);
