import type { ProviderSummary } from '@internal/plugin-esp-common';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { providerSummary as summary } from '../../__testUtils__/providerSummary';
import { rootRouteRef } from '../../routes';
import { NOT_MEASURED_YET } from '../ProviderCard/ProviderCard';
import { OverviewPage } from './OverviewPage';

const BASE = '/dashboard/settings/integrations/esp';
jest.setTimeout(30_000);

/** Keeps provider state like the backend: the toggle changes what the next list returns. */
function apiWith(providers: ProviderSummary[]) {
  const api = new FakeEspApi();
  let state = providers;
  api.listProviders.mockImplementation(async () => state);
  api.setProviderEnabled.mockImplementation(
    async (id: string, enabled: boolean) => {
      state = state.map(p =>
        p.providerId === id
          ? { ...p, enabled, status: enabled ? 'active' : 'configured' }
          : p,
      );
      return state.find(p => p.providerId === id)!;
    },
  );
  return api;
}

async function renderOverview(api: FakeEspApi) {
  renderInTestApp(<OverviewPage />, {
    apis: [[espApiRef, api], mockApis.permission()],
    mountedRoutes: { [BASE]: rootRouteRef },
  });
  await screen.findByRole(
    'toolbar',
    { name: 'Quick actions' },
    { timeout: 10_000 },
  );
}

const card = (name: string) => screen.getByLabelText(`${name} provider`);

describe('OverviewPage', () => {
  const providers = [
    summary({
      configured: true,
      enabled: true,
      status: 'active',
      connection: {
        state: 'connected',
        lastTestedAt: new Date().toISOString(),
        lastError: null,
      },
      usage: {
        sentToday: 1234,
        deliveryRate: 0.992,
        lastUsedAt: new Date().toISOString(),
      },
    }),
    summary({
      providerId: 'mailgun',
      displayName: 'Mailgun',
      status: 'error',
      configured: true,
      enabled: false,
      connection: {
        state: 'disconnected',
        lastTestedAt: null,
        lastError:
          'Invalid API key. Please check your credentials and try again.',
      },
    }),
    summary({ providerId: 'smtp', displayName: 'Built-in SMTP' }),
    summary({
      providerId: 'sendgrid',
      displayName: 'SendGrid',
      comingSoon: true,
    }),
  ];

  it('shows each provider with its badge, stats and actions', async () => {
    await renderOverview(apiWith(providers));
    const postmark = card('Postmark');
    expect(within(postmark).getByText('Active')).toBeInTheDocument();
    // Sent today and last use from the usage counters, the delivery rate as measured.
    expect(
      within(postmark).getByLabelText('Emails sent today: 1,234'),
    ).toBeInTheDocument();
    expect(
      within(postmark).getByLabelText('Delivery rate: 99.2%'),
    ).toBeInTheDocument();
    expect(
      within(postmark).getByLabelText('Last used: just now'),
    ).toBeInTheDocument();
    // Configured, nothing sent and no delivery events: 0, never and a dash.
    const mailgun = card('Mailgun');
    expect(
      within(mailgun).getByLabelText('Emails sent today: 0'),
    ).toBeInTheDocument();
    expect(within(mailgun).getByLabelText('Last used: Never')).toBeVisible();
    expect(
      within(mailgun).getByLabelText('Delivery rate: not measured yet'),
    ).toHaveTextContent('—');
    expect(
      within(postmark).getByRole('link', { name: 'View Settings' }),
    ).toHaveAttribute('href', `${BASE}/postmark`);

    expect(within(card('Mailgun')).getByText('Error')).toBeInTheDocument();
    const smtp = card('Built-in SMTP');
    expect(within(smtp).getByText('Not configured')).toBeInTheDocument();
    // Not configured: no figure at all.
    expect(within(smtp).queryByText('Never')).not.toBeInTheDocument();
    expect(within(smtp).queryByText('0')).not.toBeInTheDocument();
    expect(
      within(smtp).getByRole('link', { name: 'Configure' }),
    ).toBeInTheDocument();
    expect(
      within(smtp).getByRole('checkbox', { name: 'Built-in SMTP enabled' }),
    ).toBeDisabled();

    const sendgrid = card('SendGrid');
    expect(within(sendgrid).getAllByText('Coming soon').length).toBeGreaterThan(
      0,
    );
    expect(
      within(sendgrid).queryByRole('button', { name: 'Test Connection' }),
    ).not.toBeInTheDocument();
  });

  it('disables a provider through the API and shows its new status', async () => {
    const api = apiWith(providers);
    await renderOverview(api);
    await userEvent.click(
      within(card('Postmark')).getByRole('checkbox', {
        name: 'Postmark enabled',
      }),
    );
    expect(api.setProviderEnabled).toHaveBeenCalledWith('postmark', false);
    await waitFor(() =>
      expect(
        within(card('Postmark')).getByText('Configured'),
      ).toBeInTheDocument(),
    );
    expect(within(card('Postmark')).getByText('Disabled')).toBeInTheDocument();
  });

  it('tests a connection from its card with live feedback', async () => {
    const api = apiWith(providers);
    await renderOverview(api);
    await userEvent.click(
      within(card('Postmark')).getByRole('button', { name: 'Test Connection' }),
    );
    expect(api.testConnection).toHaveBeenCalledWith('postmark');
    expect(
      await within(card('Postmark')).findByText(
        'Connected to Postmark (Sandbox).',
      ),
    ).toBeInTheDocument();
  });

  it('offers the providers in the Add ESP dialog, the coming ones disabled', async () => {
    await renderOverview(apiWith(providers));
    await userEvent.click(screen.getByRole('button', { name: '+ Add ESP' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('button', { name: /SendGrid/ }),
    ).toHaveAttribute('aria-disabled', 'true');
    expect(
      within(dialog).getByRole('button', { name: /Built-in SMTP/ }),
    ).not.toHaveAttribute('aria-disabled', 'true');
  });

  it('keeps the routing summary collapsed until asked', async () => {
    await renderOverview(apiWith(providers));
    const toggle = screen.getByRole('button', {
      name: /Current Routing Configuration/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    // Nothing saved yet: no made-up rule, only the fallback every email takes.
    expect(await screen.findByText('No routing rules yet')).toBeVisible();
    expect(screen.getByText('Default → Built-in SMTP')).toBeVisible();
    expect(
      screen.getByRole('link', { name: 'Edit Routing Rules' }),
    ).toHaveAttribute('href', `${BASE}/routing`);
  });

  it('shows a provider whose breaker is open as Error, saying that the fallback sends', async () => {
    const down = summary({
      configured: true,
      enabled: true,
      status: 'error',
      health: {
        breaker: 'open',
        downSince: new Date().toISOString(),
        message: 'Unable to connect to Postmark. Using fallback provider.',
      },
    });
    await renderOverview(apiWith([down, ...providers.slice(1)]));
    const postmark = card('Postmark');
    expect(within(postmark).getByText('Error')).toBeInTheDocument();
    expect(
      within(postmark).getByText(
        'Unable to connect to Postmark. Using fallback provider.',
      ),
    ).toBeInTheDocument();
    // The other cards carry no such warning.
    expect(
      within(card('Mailgun')).queryByText(/Unable to connect/),
    ).not.toBeInTheDocument();
  });

  it('says why a quick stat shows a dash', async () => {
    await renderOverview(apiWith(providers));
    await userEvent.hover(
      within(card('Mailgun')).getByLabelText('Delivery rate: not measured yet'),
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      NOT_MEASURED_YET,
    );
  });
});
