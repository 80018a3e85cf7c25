import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { COST_RULE_ORDER } from '@internal/plugin-esp-common';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { renderRoutingPage } from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(60_000);

const estimate = () => screen.getByTestId('estimated-monthly-cost');

async function setNumber(label: string, value: string) {
  const field = screen.getByLabelText(label);
  await userEvent.clear(field);
  if (value) await userEvent.type(field, value);
}

describe('CostOptimization', () => {
  it('estimates the monthly cost from the volumes typed in, shaped as the spec draws it', async () => {
    await renderRoutingPage();
    expect(estimate()).toHaveTextContent('Total: $0.00/month');
    await setNumber('Postmark emails per month', '5000');
    await setNumber('Mailgun emails per month', '95000');
    await setNumber('Built-in SMTP emails per month', '100000');
    expect(estimate().textContent).toBe(
      [
        'Current Configuration:',
        '- Postmark: 5,000 emails × $0.00125 = $6.25',
        '- Mailgun: 95,000 emails × $0.00058 = $55.10',
        '- Built-in SMTP: 100,000 emails × $0 = $0.00',
        'Total: $61.35/month',
      ].join('\n'),
    );
    // A new price (typed through "0.") counts at once.
    await setNumber('Mailgun price per email ($)', '0.0008');
    expect(estimate()).toHaveTextContent(
      '- Mailgun: 95,000 emails × $0.0008 = $76.00',
    );
    expect(estimate()).toHaveTextContent('Total: $82.25/month');
  });

  it('estimates from the last 30 days of real sends once any was sent, saying so', async () => {
    const api = new FakeEspApi();
    api.volume = {
      from: '2026-11-03',
      to: '2026-12-02',
      providers: { postmark: 4000, mailgun: 0, smtp: 12 },
      total: 4012,
    };
    await renderRoutingPage(api);
    await waitFor(() =>
      expect(estimate()).toHaveTextContent(
        '- Postmark: 4,000 emails × $0.00125 = $5.00',
      ),
    );
    expect(estimate()).toHaveTextContent(
      '- Built-in SMTP: 12 emails × $0 = $0.00',
    );
    expect(estimate()).toHaveTextContent('Total: $5.00/month');
    expect(
      screen.getByTestId('estimated-monthly-cost-basis'),
    ).toHaveTextContent(
      'really sent in the last 30 days (2026-11-03 to 2026-12-02, UTC',
    );
    // The typed expectations no longer drive the estimate.
    await setNumber('Postmark emails per month', '5000');
    expect(estimate()).toHaveTextContent('Total: $5.00/month');
  });

  it('says the estimate uses the typed volumes while nothing was sent', async () => {
    await renderRoutingPage();
    await waitFor(() =>
      expect(
        screen.getByTestId('estimated-monthly-cost-basis'),
      ).toHaveTextContent('Nothing sent in the last 30 days yet'),
    );
  });

  it('saves the toggles, quotas, budget and an off-peak window that runs past midnight', async () => {
    const api = await renderRoutingPage();
    const order = screen.getByRole('list', {
      name: 'Where several apply, in this order:',
    });
    expect(
      within(order)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([...COST_RULE_ORDER]);

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Use Free Tiers First' }),
    );
    await setNumber('Minimum recipients', '');
    expect(screen.getByText('Enter at least 1 recipient')).toBeInTheDocument();
    await setNumber('Minimum recipients', '500');
    await setNumber('Mailgun free monthly quota', '');
    await setNumber('Postmark monthly budget ($)', '25');

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Time-Based Routing' }),
    );
    const zone = screen.getByLabelText(/^Time zone/);
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Mars/Olympus');
    expect(
      screen.getByText('Enter a time zone such as UTC or Europe/Berlin'),
    ).toBeInTheDocument();
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Berlin');
    const window1 = screen.getByRole('group', { name: 'Off-peak window 1' });
    expect(within(window1).getByText('ends next day')).toBeInTheDocument();
    const end = within(window1).getByLabelText('Window 1 end');
    await userEvent.clear(end);
    await userEvent.type(end, '23:30');
    expect(
      within(window1).queryByText('ends next day'),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Routing saved as version 1.');
    const { cost } = api.saveRouting.mock.calls[0][0];
    expect(cost.useFreeTiersFirst).toBe(false);
    expect(cost.volumeRouting).toEqual({ enabled: true, minRecipients: 500 });
    expect(cost.providers.mailgun.freeMonthlyQuota).toBeNull();
    expect(cost.providers.postmark.monthlyBudget).toBe(25);
    expect(cost.timeRouting).toEqual({
      enabled: true,
      timeZone: 'Europe/Berlin',
      windows: [
        {
          emailType: 'marketing',
          provider: 'mailgun',
          start: '22:00',
          end: '23:30',
          endsNextDay: false,
        },
      ],
    });
  });
});
