import type { ConfigurableProviderId } from '@internal/plugin-esp-common';
import { MailgunAdapter } from './mailgun/MailgunAdapter';
import { PostmarkAdapter } from './postmark/PostmarkAdapter';
import { SmtpAdapter } from './smtp/SmtpAdapter';
import type { ProviderAdapter } from './types';

/** The adapters this backend ships, by provider id. A provider without one is "coming soon". */
export function createProviderAdapters(): Partial<
  Record<ConfigurableProviderId, ProviderAdapter>
> {
  return {
    postmark: new PostmarkAdapter(),
    mailgun: new MailgunAdapter(),
    smtp: new SmtpAdapter(),
  };
}
