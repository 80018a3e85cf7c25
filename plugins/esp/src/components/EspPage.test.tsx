import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { espApiRef } from '../api';
import { FakeEspApi } from '../__testUtils__/FakeEspApi';
import { providerSummary as summary } from '../__testUtils__/providerSummary';
import { rootRouteRef } from '../routes';
import { ADMIN_ONLY_MESSAGE } from './AdminOnly';

// The denied case lives in AdminOnly/AdminOnly.test.tsx: usePermission caches
// decisions per module, so one file holds one user's view.
import { EspPage } from './EspPage';

const BASE = '/dashboard/settings/integrations/esp';
// The test app loads the page lazily; the first render can take a few seconds on a busy machine.
const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

function render(
  path: string,
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  api = new FakeEspApi(),
) {
  return renderInTestApp(<EspPage />, {
    apis: [[espApiRef, api], mockApis.permission({ authorize })],
    mountedRoutes: { [BASE]: rootRouteRef },
    mountPath: `${BASE}/*`,
    initialRouteEntries: [path],
  });
}

describe('EspPage', () => {
  it('shows the overview at the plugin path with the real provider states', async () => {
    const api = new FakeEspApi();
    api.listProviders.mockResolvedValue([
      summary({ status: 'active', configured: true, enabled: true }),
      summary({
        providerId: 'sendgrid',
        displayName: 'SendGrid',
        comingSoon: true,
      }),
    ]);
    render(BASE, AuthorizeResult.ALLOW, api);
    await screen.findByRole('toolbar', { name: 'Quick actions' }, WAIT);
    expect(screen.getByText('Active')).toBeInTheDocument();
    expect(screen.getAllByText('Coming soon').length).toBeGreaterThan(0);
    expect(screen.getByRole('link', { name: 'View Settings' })).toHaveAttribute(
      'href',
      `${BASE}/postmark`,
    );
    expect(screen.queryByText(ADMIN_ONLY_MESSAGE)).not.toBeInTheDocument();
  });

  it('routes each section of the settings navigation', async () => {
    render(`${BASE}/routing`, AuthorizeResult.ALLOW);
    expect(
      await screen.findByText('Routing rules is not available yet', {}, WAIT),
    ).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'ESP settings' });
    for (const [name, href] of [
      ['Overview', BASE],
      ['Postmark', `${BASE}/postmark`],
      ['Mailgun', `${BASE}/mailgun`],
      ['Built-in SMTP', `${BASE}/smtp`],
      ['Routing', `${BASE}/routing`],
      ['Webhooks', `${BASE}/webhooks`],
      ['Analytics', `${BASE}/analytics`],
    ]) {
      expect(nav.querySelector(`a[href="${href}"]`)).toHaveTextContent(name);
    }
    expect(nav.querySelector('[aria-current="page"]')).toHaveTextContent(
      'Routing',
    );
  });
});
