export { espApiRef, FIREWALL_FORMATS } from './EspApi';
export type {
  ConfigProviderId,
  EspApi,
  FirewallFormat,
  FirewallRules,
  ProviderConfigInputs,
  ProviderConfigViews,
  SuppressionPage,
} from './EspApi';
export { EspClient } from './EspClient';
