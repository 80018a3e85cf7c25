import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { rootRouteRef } from '../../routes';
import { EspPage } from '../EspPage';
import { ADMIN_ONLY_MESSAGE } from './AdminOnly';

const BASE = '/dashboard/settings/integrations/esp';
jest.setTimeout(30_000);

describe('AdminOnly', () => {
  it('tells a non-admin that the settings are for administrators, and loads nothing', async () => {
    const api = new FakeEspApi();
    const permissionApi = mockApis.permission({
      authorize: AuthorizeResult.DENY,
    });
    renderInTestApp(<EspPage />, {
      apis: [[espApiRef, api], permissionApi],
      mountedRoutes: { [BASE]: rootRouteRef },
      mountPath: `${BASE}/*`,
      initialRouteEntries: [`${BASE}/postmark`],
    });
    expect(
      await screen.findByText(
        new RegExp(ADMIN_ONLY_MESSAGE),
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText(/^API Token/)).not.toBeInTheDocument();
    expect(api.getPostmarkConfig).not.toHaveBeenCalled();
  });
});
