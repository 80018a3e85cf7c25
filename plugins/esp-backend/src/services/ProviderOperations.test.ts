import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ACCOUNT_TOKEN,
  createServiceFixture,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

// Every test here runs on the embedded default and on production's database.
const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe.each(databases.eachSupportedId())(
  'ProviderOperations on %s',
  databaseId => {
    const setup = () => createServiceFixture(databases, databaseId);
    const alice = 'user:default/alice';

    describe('test email', () => {
      it('sends from the default sender with the stored stream and tracking', async () => {
        const { configs, operations, adapter } = await setup();
        adapter.verifiedSenders.add('noreply@example.com');
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        const result = await operations.sendTestEmail('postmark', {
          to: 'admin@example.com',
          tags: ['esp-hub-test'],
        });
        expect(result).toMatchObject({
          messageId: 'fake-1',
          to: 'admin@example.com',
        });
        expect(result.durationMs).toBeGreaterThanOrEqual(0);
        const [{ conn, message }] = adapter.sent;
        expect(conn.messageStream).toBe('outbound');
        expect(message).toMatchObject({
          from: 'noreply@example.com',
          to: 'admin@example.com',
          subject: 'ESP Hub test email',
          trackOpens: true,
          trackLinks: false,
          tags: ['esp-hub-test'],
        });
        expect(message.text).toMatch(
          /sent by ESP Hub through Postmark at \d{4}-\d\d-\d\dT/,
        );
      });

      it("passes the provider's rejection on as a 400", async () => {
        const { configs, operations, adapter } = await setup();
        adapter.verifiedSenders.add('noreply@example.com');
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        adapter.rejectSends =
          "The 'From' address you supplied is not a Sender Signature.";
        await expect(
          operations.sendTestEmail('postmark', { to: 'admin@example.com' }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: "The 'From' address you supplied is not a Sender Signature.",
        });
      });
    });

    describe('disabled providers', () => {
      it('sends nothing through a disabled provider until it is enabled again', async () => {
        const { configs, operations, adapter } = await setup();
        adapter.verifiedSenders.add('noreply@example.com');
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        await configs.setEnabled('postmark', false, alice);
        await expect(
          operations.sendTestEmail('postmark', { to: 'admin@example.com' }),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: 'Postmark is disabled: enable it on the overview to send',
        });
        expect(adapter.sent).toEqual([]);
        await configs.setEnabled('postmark', true, alice);
        await expect(
          operations.sendTestEmail('postmark', { to: 'admin@example.com' }),
        ).resolves.toMatchObject({ to: 'admin@example.com' });
      });
    });

    describe('unverified senders', () => {
      it('blocks a test email until the sender is verified, without calling send', async () => {
        const { configs, operations, adapter } = await setup();
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        await expect(
          operations.sendTestEmail('postmark', { to: 'admin@example.com' }),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: 'Domain verification required.',
        });
        expect(adapter.sent).toEqual([]);

        adapter.verifiedSenders.add('noreply@example.com');
        await expect(
          operations.sendTestEmail('postmark', { to: 'admin@example.com' }),
        ).resolves.toMatchObject({ to: 'admin@example.com' });
      });
    });

    describe('domains and message streams', () => {
      it('says why domains are unavailable without an account token', async () => {
        const { configs, operations } = await setup();
        expect((await operations.listDomains('postmark')).available).toBe(
          false,
        );
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        expect(await operations.listDomains('postmark')).toEqual({
          available: false,
          reason: 'Add a Postmark account token to manage domains.',
          domains: [],
        });
        await expect(
          operations.addDomain('postmark', 'mail.example.com'),
        ).rejects.toMatchObject({
          name: 'ConflictError',
        });
      });

      it('adds, verifies and removes a domain with the account token', async () => {
        const { configs, operations, adapter } = await setup();
        await configs.saveConfig(
          'postmark',
          { ...validPostmarkInput, accountToken: ACCOUNT_TOKEN },
          alice,
        );
        const added = await operations.addDomain(
          'postmark',
          'mail.example.com',
        );
        expect(added).toMatchObject({
          name: 'mail.example.com',
          status: 'pending',
        });
        expect(adapter.calls.at(-1)?.conn.accountToken).toBe(ACCOUNT_TOKEN);

        expect(
          (await operations.verifyDomain('postmark', added.id)).status,
        ).toBe('verified');
        expect(
          (await operations.getDomain('postmark', added.id)).records[0].status,
        ).toBe('verified');
        expect((await operations.listDomains('postmark')).domains).toHaveLength(
          1,
        );

        await operations.removeDomain('postmark', added.id);
        expect((await operations.listDomains('postmark')).domains).toEqual([]);
        await expect(
          operations.removeDomain('postmark', added.id),
        ).rejects.toMatchObject({
          name: 'NotFoundError',
        });
      });

      it('lists message streams once configured', async () => {
        const { configs, operations } = await setup();
        await expect(
          operations.listMessageStreams('postmark'),
        ).rejects.toMatchObject({
          name: 'ConflictError',
        });
        await configs.saveConfig('postmark', validPostmarkInput, alice);
        expect(
          (await operations.listMessageStreams('postmark')).map(s => s.id),
        ).toEqual(['outbound', 'broadcast']);
      });
    });
  },
);
