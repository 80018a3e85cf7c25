import type {
  ConfigurableProviderId,
  ConnectionView,
  SecretView,
} from '@internal/plugin-esp-common';
import type { z } from 'zod';
import type { StoredProviderConfig } from '../../database/ProviderConfigStore';
import { maskSecret } from '../../lib/maskSecret';
import type {
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
  SenderCheck,
} from '../../providers/types';

/** Deployment facts from config: where each provider's API is reached. */
export type ProviderBaseUrls = Record<ConfigurableProviderId, string> & {
  /** Mailgun's EU region has its own API host. */
  mailgunEu?: string;
};

/** What every configuration view shares, computed by the service. */
export type CommonView = {
  configured: boolean;
  enabled: boolean;
  connection: ConnectionView;
  updatedAt: string | null;
  updatedBy: string | null;
};

export type ViewContext = {
  common: CommonView;
  secrets: Record<string, SecretView>;
  sender: SenderCheck;
};

/** Test-email options that come from the stored settings. */
export type SendDefaults = Omit<
  OutboundMessage,
  'to' | 'subject' | 'text' | 'html'
>;

/**
 * Everything that differs between providers' configurations: the input schema,
 * how settings and secrets are stored, how a connection is built from them and
 * what the page sees. The service does the rest the same way for all of them.
 */
export interface ProviderProfile<Settings = any, Input = any, View = any> {
  readonly id: ConfigurableProviderId;
  readonly inputSchema: z.ZodType<Input>;
  /** Secret names with the words used in messages; the first is the adapter's `apiKey`. */
  readonly secrets: ReadonlyArray<{
    name: string;
    label: string;
    required: boolean;
  }>;
  readSettings(raw: Record<string, unknown> | undefined): Settings;
  settingsFromInput(input: Input): Settings;
  /** Per secret: a new value, null to remove it, undefined to keep the stored one. */
  secretChanges(input: Input): Record<string, string | null | undefined>;
  timeoutSeconds(settings: Settings): number;
  connection(
    settings: Settings,
    secrets: Record<string, string>,
    baseUrls: ProviderBaseUrls,
  ): ProviderConnection;
  /** The sender address the provider should confirm, if any. */
  senderToCheck(settings: Settings): string | null;
  /** The tags a send carries, e.g. with Mailgun's configured prefix. */
  tagsFor?(settings: Settings, tags: string[]): string[];
  /** Defaults of a test email; a string explains why none can be sent yet. */
  sendDefaults(settings: Settings): SendDefaults | string;
  /** Checks beyond verifyCredentials when saving (e.g. a new Postmark account token). */
  extraSaveChecks?(
    adapter: ProviderAdapter,
    conn: ProviderConnection,
    input: Input,
  ): Promise<void>;
  /**
   * Settings kept at the provider rather than in ESP Hub (Mailgun's unsubscribe
   * links live on the domain), applied once the credentials checked out. One
   * that cannot be applied does not fail the save: `failure` names it in the
   * warning the save answers with.
   */
  providerSettings?(settings: Settings): ReadonlyArray<{
    failure: string;
    apply(adapter: ProviderAdapter, conn: ProviderConnection): Promise<void>;
  }>;
  /** Why domains cannot be managed with this configuration, or null. */
  domainsUnavailableReason?(conn: ProviderConnection): string | null;
  view(settings: Settings, ctx: ViewContext): View;
}

export function secretViews(
  profile: ProviderProfile,
  stored: StoredProviderConfig | undefined,
  plain: Record<string, string>,
): Record<string, SecretView> {
  return Object.fromEntries(
    profile.secrets.map(({ name }) => [
      name,
      {
        set: Boolean(stored?.secrets[name]),
        mask: plain[name] ? maskSecret(plain[name]) : null,
      },
    ]),
  );
}
