export { ProviderCard } from './ProviderCard';
export { ProviderLogo } from './ProviderLogo';
