import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ESP_PROVIDERS_CHANGED_TOPIC,
  EspProvidersChangedEvent,
} from '@internal/plugin-esp-common';
import {
  ACCOUNT_TOKEN,
  createServiceFixture,
  validPostmarkInput,
} from '../__testUtils__/serviceFixture';
import { publishProviderChanges } from './ProviderChangeEvents';
import { withMigratedSchema } from '../__testUtils__/withMigratedSchema';

jest.setTimeout(30_000);

const databases = withMigratedSchema(
  TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] }),
);

describe('publishProviderChanges', () => {
  it('publishes on the events service topic the catalog listens to', async () => {
    const events = mockServices.events.mock();
    const notify = publishProviderChanges(events, mockServices.logger.mock());
    await notify({ providerId: 'postmark', change: 'provider-enabled' });
    expect(events.publish).toHaveBeenCalledWith({
      topic: ESP_PROVIDERS_CHANGED_TOPIC,
      eventPayload: { providerId: 'postmark', change: 'provider-enabled' },
    });
  });

  it('never fails the change it reports', async () => {
    const events = mockServices.events.mock({
      publish: jest.fn(async () => {
        throw new Error('bus down');
      }),
    });
    const logger = mockServices.logger.mock();
    await expect(
      publishProviderChanges(events, logger)({ change: 'routing' }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('bus down'),
    );
  });
});

describe.each(databases.eachSupportedId())(
  'provider change notifications on %s',
  databaseId => {
    it('follow every stored change: save, enable/disable, secret removal, domain add/verify/remove', async () => {
      const onProvidersChanged = jest.fn(
        async (_event: EspProvidersChangedEvent) => {},
      );
      const { configs, operations } = await createServiceFixture(
        databases,
        databaseId,
        { onProvidersChanged },
      );
      const changes = () =>
        onProvidersChanged.mock.calls.map(([event]) => event);

      await configs.saveConfig(
        'postmark',
        { ...validPostmarkInput, accountToken: ACCOUNT_TOKEN },
        'user:default/admin',
      );
      await configs.setEnabled('postmark', false, 'user:default/admin');
      const domain = await operations.addDomain('postmark', 'mail.example.com');
      await operations.getDomain('postmark', domain.id);
      await operations.verifyDomain('postmark', domain.id);
      await operations.removeDomain('postmark', domain.id);
      await configs.saveConfig(
        'postmark',
        { ...validPostmarkInput, accountToken: null },
        'user:default/admin',
      );

      expect(changes()).toEqual([
        { providerId: 'postmark', change: 'provider-config' },
        { providerId: 'postmark', change: 'provider-enabled' },
        { providerId: 'postmark', change: 'domains' },
        { providerId: 'postmark', change: 'domains' },
        { providerId: 'postmark', change: 'domains' },
        { providerId: 'postmark', change: 'provider-config' },
      ]);
    });

    it('are not sent for a change that failed', async () => {
      const onProvidersChanged = jest.fn(
        async (_event: EspProvidersChangedEvent) => {},
      );
      const { configs } = await createServiceFixture(databases, databaseId, {
        onProvidersChanged,
      });
      await expect(
        configs.saveConfig(
          'postmark',
          { ...validPostmarkInput, serverToken: 'wrong' },
          'user:default/admin',
        ),
      ).rejects.toThrow();
      await expect(
        configs.setEnabled('postmark', true, 'user:default/admin'),
      ).rejects.toThrow();
      expect(onProvidersChanged).not.toHaveBeenCalled();
    });
  },
);
