import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { NOT_MEASURED_YET } from '../ProviderCard';
import {
  BASE,
  postmarkEntity,
  postmarkStatus,
  renderCard,
} from '../../__testUtils__/entityCard';

// The non-admin's view is in EspEntityCard.nonAdmin.test.tsx: usePermission
// caches decisions per module, so one test file holds one user's view.

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

describe('EspEntityCard for an ESP admin', () => {
  const asked: string[] = [];

  it("shows the provider's status, stats, verified domains, routed types and a settings link", async () => {
    renderCard({ administer: AuthorizeResult.ALLOW, asked });
    expect(
      await screen.findByRole('heading', { name: 'Postmark' }, WAIT),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Postmark logo')).toBeInTheDocument();
    expect(screen.getByLabelText('Status: Active')).toHaveTextContent('Active');
    expect(screen.getByText('Enabled')).toBeInTheDocument();

    // Counted sends; the delivery rate is a dash that says why.
    expect(screen.getByLabelText('Emails sent today: 0')).toBeInTheDocument();
    expect(screen.getByLabelText('Last used: Never')).toBeInTheDocument();
    const rate = screen.getByLabelText('Delivery rate: not measured yet');
    expect(rate).toHaveTextContent('—');
    await userEvent.hover(rate);
    expect(await screen.findByText(NOT_MEASURED_YET)).toBeInTheDocument();

    expect(screen.getByText('mail.example.com')).toBeInTheDocument();
    expect(screen.getByText('news.example.com')).toBeInTheDocument();
    expect(screen.getByText('Transactional')).toBeInTheDocument();
    expect(screen.getByText('Cold Outreach')).toBeInTheDocument();

    const link = await screen.findByRole('link', {
      name: 'Postmark settings in ESP Hub',
    });
    expect(link).toHaveAttribute('href', `${BASE}/postmark`);
    expect(asked).toContain('esp.administer');
  });

  it('shows a disabled Mailgun in the EU with nothing verified or routed yet', async () => {
    const api = new FakeEspApi();
    api.statuses.mailgun = {
      ...postmarkStatus,
      providerId: 'mailgun',
      displayName: 'Mailgun',
      enabled: false,
      status: 'configured',
      region: 'eu',
      verifiedDomains: [],
      emailTypes: [],
    };
    renderCard({
      administer: AuthorizeResult.ALLOW,
      asked,
      api,
      entity: {
        ...postmarkEntity,
        metadata: {
          name: 'esp-mailgun',
          annotations: { 'esp-hub.io/provider-id': 'mailgun' },
        },
      },
    });
    expect(
      await screen.findByText('Disabled · EU region', {}, WAIT),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Status: Configured')).toBeInTheDocument();
    expect(screen.getByText('None verified')).toBeInTheDocument();
    expect(screen.getByText('No routing rule sends here')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Mailgun settings in ESP Hub' }),
    ).toHaveAttribute('href', `${BASE}/mailgun`);
  });

  it('says what went wrong when the status cannot be read', async () => {
    const api = new FakeEspApi();
    renderCard({ administer: AuthorizeResult.ALLOW, asked, api });
    const panel = await screen.findByText(
      /Unknown provider 'postmark'/,
      {},
      WAIT,
    );
    expect(panel).toBeInTheDocument();
    expect(
      within(document.body).queryByRole('link', {
        name: /settings in ESP Hub/,
      }),
    ).not.toBeInTheDocument();
  });
});
