import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import espPlugin from '../../index';
import { ADMIN_ONLY_MESSAGE } from './AdminOnly';

const BASE = '/dashboard/settings/integrations/esp';
const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

/** Every permission the pages asked about. */
const asked: string[] = [];

function renderDenied(path: string, api: FakeEspApi) {
  return renderTestApp({
    features: [espPlugin],
    apis: [
      [espApiRef, api],
      mockApis.permission({
        authorize: request => {
          asked.push(request.permission.name);
          return AuthorizeResult.DENY;
        },
      }),
    ],
    initialRouteEntries: [path],
  });
}

describe('AdminOnly', () => {
  it.each(['/postmark', '', '/routing'])(
    'tells a non-admin at %s that the settings are for administrators, and loads nothing',
    async tail => {
      const api = new FakeEspApi();
      renderDenied(`${BASE}${tail}`, api);
      expect(
        await screen.findByText(new RegExp(ADMIN_ONLY_MESSAGE), {}, WAIT),
      ).toBeInTheDocument();
      expect(screen.getByText(/Ask an ESP Hub administrator/)).toBeVisible();
      expect(screen.queryByLabelText(/^API Token/)).not.toBeInTheDocument();
      expect(api.getConfig).not.toHaveBeenCalled();
      expect(api.listProviders).not.toHaveBeenCalled();
      expect(api.getRouting).not.toHaveBeenCalled();
      // The guard is the umbrella permission, which the policy grants admins.
      expect(asked).toContain('esp.administer');
      expect(asked).not.toContain('esp.provider.read');
    },
  );
});
