import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { RoutingSummary } from './RoutingSummary';

jest.setTimeout(30_000);

async function expand(api: FakeEspApi) {
  renderInTestApp(<RoutingSummary routingPath="/esp/routing" />, {
    apis: [[espApiRef, api]],
  });
  const toggle = await screen.findByRole(
    'button',
    { name: /Current Routing Configuration/ },
    { timeout: 10_000 },
  );
  expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // Collapsed, it asks the backend nothing.
  expect(api.getRouting).not.toHaveBeenCalled();
  await userEvent.click(toggle);
  return screen.findByRole('list', { name: 'Current routing' });
}

const lines = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map(li => li.textContent);

describe('RoutingSummary', () => {
  it('draws the saved rules as the spec does, enabled ones in priority order', async () => {
    const api = new FakeEspApi();
    api.routing.seed({
      defaultProvider: 'smtp',
      rules: [
        { emailType: 'cold_outreach', provider: 'smtp', priority: 3 },
        { emailType: 'transactional', provider: 'postmark', priority: 1 },
        { emailType: 'marketing', provider: 'mailgun', priority: 2 },
        {
          emailType: 'newsletter',
          provider: 'mailgun',
          priority: 4,
          enabled: false,
        },
        {
          emailType: 'custom',
          customType: 'Invoices',
          provider: 'postmark',
          priority: 5,
          conditions: [{ field: 'tag', value: 'billing' }],
        },
      ],
    });
    expect(lines(await expand(api))).toEqual([
      'Transactional Emails → Postmark',
      'Marketing Emails → Mailgun',
      'Cold Outreach → Built-in SMTP',
      'Invoices (Tag equals "billing") → Postmark',
      'Default → Built-in SMTP',
    ]);
    expect(screen.queryByText('No routing rules yet')).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Edit Routing Rules' }),
    ).toHaveAttribute('href', '/esp/routing');
  });

  it("says why it has no lines when the routing can't be read, and retries", async () => {
    const api = new FakeEspApi();
    api.getRouting.mockRejectedValueOnce(new Error('Backend unavailable'));
    renderInTestApp(<RoutingSummary routingPath="/esp/routing" />, {
      apis: [[espApiRef, api]],
    });
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: /Current Routing Configuration/ },
        { timeout: 10_000 },
      ),
    );
    expect(
      await screen.findByText(
        /Could not load the routing: Backend unavailable/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('Default → Built-in SMTP'),
    ).toBeInTheDocument();
  });
});
