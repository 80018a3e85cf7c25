import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogModuleEspEntityProvider } from './module';
import { EspEntityProvider } from './provider/EspEntityProvider';

describe('catalogModuleEspEntityProvider', () => {
  it('adds the ESP Hub entity provider to the catalog', async () => {
    const addEntityProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [catalogProcessingExtensionPoint, { addEntityProvider }],
      ],
      features: [
        catalogModuleEspEntityProvider,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
      ],
    });
    expect(addEntityProvider).toHaveBeenCalledWith(
      expect.any(EspEntityProvider),
    );
  });
});
