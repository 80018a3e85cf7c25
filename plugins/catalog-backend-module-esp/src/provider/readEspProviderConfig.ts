import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ESP_HUB_PAGE_PATH } from '@internal/plugin-esp-common';

/** How the ESP Hub entities are made, from `catalog.providers.esp`. */
export type EspProviderConfig = {
  owner: string;
  lifecycle: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The address of ESP Hub's pages in the app, for the entities' links. */
  pageUrl: string;
};

// ESP Hub's own admins look after the providers unless the config names a team.
const DEFAULT_OWNER = 'group:default/esp-admins';
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 2 },
  // Lets the esp plugin finish starting in the same backend before the first read.
  initialDelay: { seconds: 15 },
};

export function readEspProviderConfig(
  config: RootConfigService,
): EspProviderConfig {
  const own = config.getOptionalConfig('catalog.providers.esp');
  const owner = own?.getOptionalString('owner') ?? DEFAULT_OWNER;
  let ownerRef: string;
  try {
    ownerRef = stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(
      `catalog.providers.esp.owner is not an entity ref: ${
        (error as Error).message
      }`,
    );
  }
  const schedule = own?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        own.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  const appBaseUrl = config.getString('app.baseUrl').replace(/\/+$/, '');
  return {
    owner: ownerRef,
    lifecycle: own?.getOptionalString('lifecycle') ?? 'production',
    schedule,
    pageUrl: `${appBaseUrl}${ESP_HUB_PAGE_PATH}`,
  };
}
