import type { ConfigurableProviderId } from '@internal/plugin-esp-common';
import { mailgunProfile } from './mailgun/mailgunProfile';
import { postmarkProfile } from './postmark/postmarkProfile';
import type { ProviderProfile } from './ProviderProfile';
import { smtpProfile } from './smtp/smtpProfile';

export const PROVIDER_PROFILES: Record<
  ConfigurableProviderId,
  ProviderProfile
> = {
  postmark: postmarkProfile,
  mailgun: mailgunProfile,
  smtp: smtpProfile,
};

export type { ProviderBaseUrls, ProviderProfile } from './ProviderProfile';
export { secretViews } from './ProviderProfile';
