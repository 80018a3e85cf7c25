import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  ResourceEntity,
} from '@backstage/catalog-model';
import {
  EMAIL_TYPES,
  EMAIL_TYPE_LABELS,
  ESP_ANNOTATIONS,
  ESP_ENTITY_TYPE,
  isConfigurableProviderId,
  ProviderStatusSummary,
} from '@internal/plugin-esp-common';
import type { EspProviderConfig } from './readEspProviderConfig';

const STATUS_WORDS: Record<ProviderStatusSummary['status'], string> = {
  active: 'active',
  configured: 'configured',
  error: 'failing its connection check',
  not_configured: 'not configured yet',
};

/**
 * A `Resource` with a lifecycle, as the catalog's Resource schema allows
 * (the typed model does not list it), so ops teams can filter by it.
 */
export type EspResourceEntity = ResourceEntity & {
  spec: ResourceEntity['spec'] & { lifecycle: string };
};

/** The entity's name: stable, and apart from any other resource named after the vendor. */
export function entityNameOf(providerId: string): string {
  return `esp-${providerId}`;
}

/**
 * One provider's catalog entity. Every field is set here from the summary's
 * named fields, so whatever else an answer might carry never reaches the
 * catalog, which everyone may read.
 */
export function providerEntity(
  summary: ProviderStatusSummary,
  settings: EspProviderConfig,
  location: string,
): EspResourceEntity {
  const { providerId, displayName } = summary;
  // Only the types this module knows: each becomes a tag, which must be valid.
  const emailTypes = EMAIL_TYPES.filter(type =>
    (summary.emailTypes ?? []).includes(type),
  );
  const section = isConfigurableProviderId(providerId)
    ? providerId
    : 'overview';
  const page = `${settings.pageUrl}/${section}`;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
    // The catalog's "View source" would otherwise open the status API.
    [ANNOTATION_VIEW_URL]: page,
    [ESP_ANNOTATIONS.providerId]: providerId,
    [ESP_ANNOTATIONS.status]: summary.status,
  };
  if (typeof summary.region === 'string' && summary.region)
    annotations[ESP_ANNOTATIONS.region] = summary.region;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: entityNameOf(providerId),
      title: displayName,
      description: describe(summary, emailTypes),
      annotations,
      // Catalog tags allow no underscore: cold_outreach becomes cold-outreach.
      tags: emailTypes.map(type => type.replace(/_/g, '-')),
      links: [
        {
          url: page,
          title: `${displayName} in ESP Hub`,
          icon: 'dashboard',
        },
      ],
    },
    spec: {
      type: ESP_ENTITY_TYPE,
      owner: settings.owner,
      lifecycle: settings.lifecycle,
    },
  };
}

function describe(
  summary: ProviderStatusSummary,
  emailTypes: ProviderStatusSummary['emailTypes'],
): string {
  if (summary.comingSoon) {
    return `${summary.displayName}, an email service provider ESP Hub will support soon.`;
  }
  const state =
    summary.configured && !summary.enabled
      ? 'configured but disabled'
      : STATUS_WORDS[summary.status] ?? 'in an unknown state';
  const routed = emailTypes.length
    ? ` It sends ${emailTypes
        .map(type => EMAIL_TYPE_LABELS[type].toLocaleLowerCase('en-US'))
        .join(', ')} email.`
    : '';
  return `${summary.displayName}, an email service provider managed in ESP Hub: ${state}.${routed}`;
}
