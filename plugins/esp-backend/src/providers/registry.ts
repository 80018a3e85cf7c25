import type { ConfigurableProviderId } from '@internal/plugin-esp-common';
import { MailgunAdapter } from './mailgun/MailgunAdapter';
import { mailgunProfile } from './mailgun/mailgunProfile';
import { PostmarkAdapter } from './postmark/PostmarkAdapter';
import { postmarkProfile } from './postmark/postmarkProfile';
import type {
  AnyProviderProfile,
  ConfigView,
  ProviderProfile,
  StoredSettings,
} from './ProviderProfile';
import { SmtpAdapter } from './smtp/SmtpAdapter';
import { smtpProfile } from './smtp/smtpProfile';
import type { ProviderAdapter, ProviderConnection } from './types';

/** A provider as the shared services see it: its adapter and its profile. */
export type RegisteredProvider = {
  readonly id: ConfigurableProviderId;
  readonly adapter: ProviderAdapter;
  readonly profile: AnyProviderProfile;
};

/**
 * Pairs an adapter with the profile that builds its connections. The two must
 * agree on the connection type; after that, the pair is stored with its types
 * erased, since the services handle every provider alike and only ever pass a
 * profile's own values back to the same profile and adapter.
 */
export function registerProvider<
  Settings extends StoredSettings,
  Input,
  View extends ConfigView,
  Connection extends ProviderConnection,
  Endpoints,
>(
  adapter: ProviderAdapter<Connection>,
  profile: ProviderProfile<Settings, Input, View, Connection, Endpoints>,
): RegisteredProvider {
  if (adapter.id !== profile.id) {
    throw new Error(
      `The ${adapter.id} adapter cannot go with the ${profile.id} profile`,
    );
  }
  return {
    id: adapter.id,
    adapter: adapter as ProviderAdapter,
    profile: profile as unknown as AnyProviderProfile,
  };
}

/** The providers this backend ships. A provider id without one is "coming soon". */
export function createProviders(): RegisteredProvider[] {
  return [
    registerProvider(new PostmarkAdapter(), postmarkProfile),
    registerProvider(new MailgunAdapter(), mailgunProfile),
    registerProvider(new SmtpAdapter(), smtpProfile),
  ];
}
