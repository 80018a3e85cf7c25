export { espApiRef } from './EspApi';
export type {
  ConfigProviderId,
  EspApi,
  ProviderConfigInputs,
  ProviderConfigViews,
} from './EspApi';
export { EspClient } from './EspClient';
