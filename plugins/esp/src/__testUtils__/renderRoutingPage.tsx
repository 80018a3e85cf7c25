import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { espApiRef } from '../api';
import { RoutingPage } from '../components/RoutingPage';
import { rootRouteRef } from '../routes';
import { FakeEspApi } from './FakeEspApi';

export const ESP_BASE = '/dashboard/settings/integrations/esp';

/** The routing page against the fake backend, as it starts loading. */
export function renderRouting(api = new FakeEspApi()) {
  renderInTestApp(<RoutingPage />, {
    apis: [[espApiRef, api], mockApis.permission()],
    mountedRoutes: { [ESP_BASE]: rootRouteRef },
  });
  return api;
}

/** The routing page against the fake backend, once its rules builder is there. */
export async function renderRoutingPage(api = new FakeEspApi()) {
  renderRouting(api);
  await screen.findByText('Routing Rules Builder', {}, { timeout: 10_000 });
  return api;
}
