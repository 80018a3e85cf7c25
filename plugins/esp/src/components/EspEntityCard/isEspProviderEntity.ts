import type { Entity } from '@backstage/catalog-model';
import { ESP_ENTITY_TYPE } from '@internal/plugin-esp-common';

/** The entities the card belongs on: the catalog module's email service providers. */
export function isEspProviderEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === ESP_ENTITY_TYPE
  );
}
