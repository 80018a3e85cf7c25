import type {
  ProviderId,
  ProviderStatus,
  ProviderUsage,
} from './providers/common';
import { EMAIL_TYPES, EmailType, RoutingConfig } from './routing';

/**
 * What the software catalog and its entity card know about ESP Hub's
 * providers. The catalog module turns each status summary into a `Resource`
 * entity; the entity card reads the same summary for the entity it is on.
 */

/** `spec.type` of the catalog's `Resource` entities that stand for a provider. @public */
export const ESP_ENTITY_TYPE = 'email-service-provider';

/**
 * Where the app mounts ESP Hub's settings pages, for links from outside the
 * frontend plugin (the catalog's entities). Each configurable provider has a
 * tab below it named by its id; the overview is `overview`.
 * @public
 */
export const ESP_HUB_PAGE_PATH = '/dashboard/settings/integrations/esp';

/** Annotations ESP Hub puts on its catalog entities. @public */
export const ESP_ANNOTATIONS = {
  /** The provider's id in ESP Hub (`postmark`, `mailgun`, …): how the card finds its status. */
  providerId: 'esp-hub.io/provider-id',
  /** The provider's region where it has one (Mailgun: `us` or `eu`). */
  region: 'esp-hub.io/region',
  /** The status when the catalog last read it (`active`, `configured`, `error`, `not_configured`). */
  status: 'esp-hub.io/status',
} as const;

/**
 * A provider's status as everyone who may browse the catalog may see it
 * (`GET /api/esp/status`, permission `esp.status.read`). It carries only what
 * entities and the entity card show: no secret, no sender address, no setting
 * and no error text from the provider, which stay on the admin pages.
 * @public
 */
export type ProviderStatusSummary = {
  providerId: ProviderId;
  displayName: string;
  /** No adapter ships yet for this provider ("Coming soon" on the overview). */
  comingSoon: boolean;
  configured: boolean;
  enabled: boolean;
  status: ProviderStatus;
  /** Where the provider keeps its data, where it has a choice (Mailgun: `us` or `eu`); null otherwise. */
  region: string | null;
  /** The names of the provider's verified sending domains, as far as they could be read. */
  verifiedDomains: string[];
  /** The email types the routing configuration sends through this provider. */
  emailTypes: EmailType[];
  /** Sent today, delivery rate and last use; zero and null until analytics records sends. */
  usage: ProviderUsage;
};

/** The answer of `GET /api/esp/status`. @public */
export type ProviderStatusList = {
  providers: ProviderStatusSummary[];
};

/**
 * The events-service topic esp-backend publishes on after every change to a
 * provider's configuration or the routing, so that the catalog reads the
 * status again at once.
 * @public
 */
export const ESP_PROVIDERS_CHANGED_TOPIC = 'esp.providers.changed';

/** The payload of an `esp.providers.changed` event. @public */
export type EspProvidersChangedEvent = {
  /** The provider whose configuration changed; absent for a change that touches all (routing). */
  providerId?: ProviderId;
  /** What changed, for logs: `provider-config`, `provider-enabled`, `domains`, `routing`, … */
  change: string;
};

/**
 * The email types a routing configuration sends through each provider: those
 * of its enabled rules, and of its off-peak windows while time routing is on.
 * What the catalog tags each provider's entity with; in the routing page's
 * order. The default provider takes whatever no rule routes and gets no type
 * for it; failover providers only stand in.
 * @public
 */
export function emailTypesByProvider(
  config: Pick<RoutingConfig, 'rules' | 'cost'>,
): Partial<Record<ProviderId, EmailType[]>> {
  const routed = new Map<ProviderId, Set<EmailType>>();
  const add = (provider: ProviderId, type: EmailType) => {
    if (!routed.has(provider)) routed.set(provider, new Set());
    routed.get(provider)!.add(type);
  };
  for (const rule of config.rules) {
    if (rule.enabled) add(rule.provider, rule.emailType);
  }
  if (config.cost.timeRouting.enabled) {
    for (const window of config.cost.timeRouting.windows) {
      add(window.provider, window.emailType);
    }
  }
  return Object.fromEntries(
    [...routed].map(([provider, types]) => [
      provider,
      EMAIL_TYPES.filter(type => types.has(type)),
    ]),
  );
}
