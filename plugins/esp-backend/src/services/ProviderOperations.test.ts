import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ACCOUNT_TOKEN,
  createServiceFixture,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';

jest.setTimeout(30_000);

describe('ProviderOperations (through ProviderConfigService)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const setup = () => createServiceFixture(databases);
  const alice = 'user:default/alice';

  describe('test email', () => {
    it('sends from the default sender with the stored stream and tracking', async () => {
      const { service, adapter } = await setup();
      adapter.verifiedSenders.add('noreply@example.com');
      await service.saveConfig('postmark', validPostmarkInput, alice);
      const result = await service.sendTestEmail('postmark', {
        to: 'admin@example.com',
        tags: ['esp-hub-test'],
      });
      expect(result).toMatchObject({
        messageId: 'fake-1',
        to: 'admin@example.com',
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      const [{ message }] = adapter.sent;
      expect(message).toMatchObject({
        from: 'noreply@example.com',
        to: 'admin@example.com',
        subject: 'ESP Hub test email',
        stream: 'outbound',
        trackOpens: true,
        trackLinks: false,
        tags: ['esp-hub-test'],
      });
      expect(message.text).toMatch(
        /sent by ESP Hub through Postmark at \d{4}-\d\d-\d\dT/,
      );
    });

    it("passes the provider's rejection on as a 400", async () => {
      const { service, adapter } = await setup();
      adapter.verifiedSenders.add('noreply@example.com');
      await service.saveConfig('postmark', validPostmarkInput, alice);
      adapter.rejectSends =
        "The 'From' address you supplied is not a Sender Signature.";
      await expect(
        service.sendTestEmail('postmark', { to: 'admin@example.com' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: "The 'From' address you supplied is not a Sender Signature.",
      });
    });
  });

  describe('disabled providers', () => {
    it('sends nothing through a disabled provider until it is enabled again', async () => {
      const { service, adapter } = await setup();
      adapter.verifiedSenders.add('noreply@example.com');
      await service.saveConfig('postmark', validPostmarkInput, alice);
      await service.setEnabled('postmark', false, alice);
      await expect(
        service.sendTestEmail('postmark', { to: 'admin@example.com' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: 'Postmark is disabled: enable it on the overview to send',
      });
      expect(adapter.sent).toEqual([]);
      await service.setEnabled('postmark', true, alice);
      await expect(
        service.sendTestEmail('postmark', { to: 'admin@example.com' }),
      ).resolves.toMatchObject({ to: 'admin@example.com' });
    });
  });

  describe('unverified senders', () => {
    it('blocks a test email until the sender is verified, without calling send', async () => {
      const { service, adapter } = await setup();
      await service.saveConfig('postmark', validPostmarkInput, alice);
      await expect(
        service.sendTestEmail('postmark', { to: 'admin@example.com' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: 'Domain verification required.',
      });
      expect(adapter.sent).toEqual([]);

      adapter.verifiedSenders.add('noreply@example.com');
      await expect(
        service.sendTestEmail('postmark', { to: 'admin@example.com' }),
      ).resolves.toMatchObject({ to: 'admin@example.com' });
    });
  });

  describe('domains and message streams', () => {
    it('says why domains are unavailable without an account token', async () => {
      const { service } = await setup();
      expect((await service.listDomains('postmark')).available).toBe(false);
      await service.saveConfig('postmark', validPostmarkInput, alice);
      expect(await service.listDomains('postmark')).toEqual({
        available: false,
        reason: 'Add a Postmark account token to manage domains.',
        domains: [],
      });
      await expect(
        service.addDomain('postmark', 'mail.example.com'),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });

    it('adds, verifies and removes a domain with the account token', async () => {
      const { service, adapter } = await setup();
      await service.saveConfig(
        'postmark',
        { ...validPostmarkInput, accountToken: ACCOUNT_TOKEN },
        alice,
      );
      const added = await service.addDomain('postmark', 'mail.example.com');
      expect(added).toMatchObject({
        name: 'mail.example.com',
        status: 'pending',
      });
      expect(adapter.calls.at(-1)?.conn.accountToken).toBe(ACCOUNT_TOKEN);

      expect((await service.verifyDomain('postmark', added.id)).status).toBe(
        'verified',
      );
      expect(
        (await service.getDomain('postmark', added.id)).records[0].status,
      ).toBe('verified');
      expect((await service.listDomains('postmark')).domains).toHaveLength(1);

      await service.removeDomain('postmark', added.id);
      expect((await service.listDomains('postmark')).domains).toEqual([]);
      await expect(
        service.removeDomain('postmark', added.id),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('lists message streams once configured', async () => {
      const { service } = await setup();
      await expect(
        service.listMessageStreams('postmark'),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
      await service.saveConfig('postmark', validPostmarkInput, alice);
      expect(
        (await service.listMessageStreams('postmark')).map(s => s.id),
      ).toEqual(['outbound', 'broadcast']);
    });
  });
});
