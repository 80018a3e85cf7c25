export { ProviderCard } from './ProviderCard';
export { ProviderLogo } from './ProviderLogo';
export {
  NOT_CONFIGURED_YET,
  NOT_MEASURED_YET,
  ProviderQuickStats,
} from './ProviderQuickStats';
export { ProviderStatusBadge } from './ProviderStatusBadge';
