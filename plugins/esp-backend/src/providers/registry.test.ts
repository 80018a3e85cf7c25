import { CONFIGURABLE_PROVIDER_IDS } from '@internal/plugin-esp-common';
import { MailgunAdapter } from './mailgun/MailgunAdapter';
import { mailgunProfile } from './mailgun/mailgunProfile';
import { PostmarkAdapter } from './postmark/PostmarkAdapter';
import { postmarkProfile } from './postmark/postmarkProfile';
import { createProviders, registerProvider } from './registry';

describe('provider registry', () => {
  it('ships one adapter+profile pair per configurable provider, each under its own id', () => {
    const providers = createProviders();
    expect(providers.map(p => p.id).sort()).toEqual(
      [...CONFIGURABLE_PROVIDER_IDS].sort(),
    );
    for (const { id, adapter, profile } of providers) {
      expect(adapter.id).toBe(id);
      expect(profile.id).toBe(id);
      // The profile's list is the only list of a provider's secrets.
      expect(profile.secrets.length).toBeGreaterThan(0);
    }
  });

  it('refuses an adapter paired with another provider’s profile', () => {
    expect(() =>
      // @ts-expect-error: the two disagree on the connection type, too.
      registerProvider(new PostmarkAdapter(), mailgunProfile),
    ).toThrow('The postmark adapter cannot go with the mailgun profile');
    expect(() =>
      registerProvider(new MailgunAdapter(), mailgunProfile),
    ).not.toThrow();
    expect(registerProvider(new PostmarkAdapter(), postmarkProfile).id).toBe(
      'postmark',
    );
  });
});
