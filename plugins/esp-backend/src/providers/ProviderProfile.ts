import type { Config } from '@backstage/config';
import type {
  ConfigurableProviderId,
  ProviderConfigViewBase,
  SecretView,
} from '@internal/plugin-esp-common';
import type { z } from 'zod';
import type { StoredProviderConfig } from '../database/ProviderConfigStore';
import { maskSecret } from '../lib/maskSecret';
import type {
  OutboundMessage,
  ProviderAdapter,
  ProviderConnection,
  SenderCheck,
} from './types';

/** What every provider's `GET /providers/<id>` answer is at least. */
export type ConfigView = ProviderConfigViewBase & {
  providerId: ConfigurableProviderId;
};

/** Settings are stored as one JSON object per provider. */
export type StoredSettings = Record<string, unknown>;

export type ViewContext = {
  /** What every configuration view shares, computed by the service. */
  common: ProviderConfigViewBase;
  secrets: Record<string, SecretView>;
  sender: SenderCheck;
};

/** Test-email options that come from the stored settings. */
export type SendDefaults = Omit<
  OutboundMessage,
  'to' | 'subject' | 'text' | 'html'
>;

/** A setting applied at the provider on save (see `providerSettings`). */
export type ProviderSetting<Connection extends ProviderConnection> = {
  /** What the warning says when it cannot be applied. */
  failure: string;
  apply(adapter: ProviderAdapter<Connection>, conn: Connection): Promise<void>;
};

/** One secret of a provider, with the words used for it in messages. */
export type ProfileSecret = {
  name: string;
  label: string;
  required: boolean;
};

/**
 * Everything that differs between providers' configurations: the input schema,
 * how settings and secrets are stored, how a connection is built from them and
 * what the page sees. The shared services do the rest the same way for all.
 *
 * - `Settings`: the non-secret settings as stored (`esp_provider_config.settings`).
 * - `Input`: the body of `POST /providers/<id>`.
 * - `View`: what `GET /providers/<id>` answers.
 * - `Connection`: what the provider's adapter takes on every call.
 * - `Endpoints`: deployment facts from app-config (where the API is reached).
 *
 * Its functions are methods on purpose: the registry keeps profiles of
 * different providers in one list, with their type parameters erased.
 */
export interface ProviderProfile<
  Settings extends StoredSettings,
  Input,
  View extends ConfigView,
  Connection extends ProviderConnection,
  Endpoints,
> {
  readonly id: ConfigurableProviderId;
  readonly inputSchema: z.ZodType<Input>;
  /**
   * The provider's secrets; the only list of them. The first is the credential
   * the on-blur check (`credentials/validate`) is about.
   */
  readonly secrets: ReadonlyArray<ProfileSecret>;
  /** Where the provider's API is, from `esp.providers.<id>` in app-config. */
  readEndpoints(config: Config): Endpoints;
  /** Settings the page starts with before the first save, from app-config. */
  readPreset?(config: Config): Record<string, unknown> | undefined;
  readSettings(raw: Record<string, unknown> | undefined): Settings;
  settingsFromInput(input: Input): Settings;
  /** Per secret: a new value, null to remove it, undefined to keep the stored one. */
  secretChanges(input: Input): Record<string, string | null | undefined>;
  connection(
    settings: Settings,
    secrets: Record<string, string>,
    endpoints: Endpoints,
  ): Connection;
  /** The sender address the provider should confirm, if any. */
  senderToCheck(settings: Settings): string | null;
  /** The tags a send carries, e.g. with Mailgun's configured prefix. */
  tagsFor?(settings: Settings, tags: string[]): string[];
  /** Whether the provider accepts sends without delivering them (Mailgun's Testmode). */
  sendsInTestMode?(settings: Settings): boolean;
  /** Defaults of a test email; a string explains why none can be sent yet. */
  sendDefaults(settings: Settings): SendDefaults | string;
  /** Checks beyond verifyCredentials when saving (e.g. a new Postmark account token). */
  extraSaveChecks?(
    adapter: ProviderAdapter<Connection>,
    conn: Connection,
    input: Input,
  ): Promise<void>;
  /**
   * Settings kept at the provider rather than in ESP Hub (Mailgun's unsubscribe
   * links live on the domain), applied once the credentials checked out. One
   * that cannot be applied does not fail the save: `failure` names it in the
   * warning the save answers with.
   */
  providerSettings?(
    settings: Settings,
  ): ReadonlyArray<ProviderSetting<Connection>>;
  /**
   * Where the provider keeps the account's data, when the admin chose it
   * (Mailgun: `us` or `eu`). The catalog shows it; omit for providers without one.
   */
  regionOf?(settings: Settings): string | null;
  /** Why domains cannot be managed with this configuration, or null. */
  domainsUnavailableReason?(conn: Connection): string | null;
  view(settings: Settings, ctx: ViewContext): View;
}

/** A profile whose types were erased by the registry (see `registry.ts`). */
export type AnyProviderProfile = ProviderProfile<
  StoredSettings,
  unknown,
  ConfigView,
  ProviderConnection,
  unknown
>;

/** The masked view of each of a profile's secrets. */
export function secretViews(
  secrets: ReadonlyArray<ProfileSecret>,
  stored: StoredProviderConfig | undefined,
  plain: Record<string, string>,
): Record<string, SecretView> {
  return Object.fromEntries(
    secrets.map(({ name }) => [
      name,
      {
        set: Boolean(stored?.secrets[name]),
        mask: plain[name] ? maskSecret(plain[name]) : null,
      },
    ]),
  );
}

/** Reads `esp.providers.<id>.<key>` as a URL without trailing slashes. */
export function readBaseUrl(
  config: Config,
  key: string,
  fallback: string,
): string {
  return (config.getOptionalString(key) ?? fallback).replace(/\/+$/, '');
}
