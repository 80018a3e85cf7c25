import type { WebhookProviderId } from '@internal/plugin-esp-common';

export type PostmarkWebhookAuth = {
  username: string;
  password: string;
  header?: { name: string; value: string };
};
export interface WebhookSecrets {
  /** Mailgun's HTTP webhook signing key, decrypted; undefined when not configured. */
  mailgunSigningKey(): Promise<string | undefined>;
  /** The Basic credentials (and secret header) Postmark's webhooks carry; undefined when not generated yet. */
  postmarkAuth(): Promise<PostmarkWebhookAuth | undefined>;
  /** The subscribed event ids (WEBHOOK_SUBSCRIPTIONS ids) of a provider. */
  subscriptions(provider: WebhookProviderId): Promise<string[]>;
}
