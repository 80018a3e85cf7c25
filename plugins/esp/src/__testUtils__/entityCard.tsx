import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ProviderStatusSummary } from '@internal/plugin-esp-common';
import { espApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { FakeEspApi } from './FakeEspApi';
import { EspEntityCard } from '../components/EspEntityCard';

export const BASE = '/dashboard/settings/integrations/esp';

/** The Postmark entity as the catalog module makes it. */
export const postmarkEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'esp-postmark',
    title: 'Postmark',
    annotations: {
      'esp-hub.io/provider-id': 'postmark',
      'esp-hub.io/status': 'active',
    },
  },
  spec: {
    type: 'email-service-provider',
    owner: 'group:default/esp-admins',
    lifecycle: 'production',
  },
};

export const postmarkStatus: ProviderStatusSummary = {
  providerId: 'postmark',
  displayName: 'Postmark',
  comingSoon: false,
  configured: true,
  enabled: true,
  status: 'active',
  region: null,
  verifiedDomains: ['mail.example.com', 'news.example.com'],
  emailTypes: ['transactional', 'cold_outreach'],
  usage: { sentToday: 0, deliveryRate: null, lastUsedAt: null },
};

/** The card on an entity page, for a user the policy treats as `decision` for esp.administer. */
export function renderCard(options: {
  administer: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  asked: string[];
  entity?: Entity;
  api?: FakeEspApi;
}) {
  const api = options.api ?? new FakeEspApi();
  if (!options.api) api.statuses.postmark = postmarkStatus;
  renderInTestApp(
    <EntityProvider entity={options.entity ?? postmarkEntity}>
      <EspEntityCard />
    </EntityProvider>,
    {
      apis: [
        [espApiRef, api],
        mockApis.permission({
          authorize: request => {
            options.asked.push(request.permission.name);
            return request.permission.name === 'esp.administer'
              ? options.administer
              : AuthorizeResult.DENY;
          },
        }),
      ],
      mountedRoutes: { [BASE]: rootRouteRef },
    },
  );
  return api;
}
