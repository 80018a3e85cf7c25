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

function renderDenied(path: string, api: FakeEspApi) {
  return renderTestApp({
    features: [espPlugin],
    apis: [
      [espApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
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
      expect(api.getPostmarkConfig).not.toHaveBeenCalled();
      expect(api.listProviders).not.toHaveBeenCalled();
    },
  );
});
