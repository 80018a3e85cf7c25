import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NOT_MEASURED_YET, ProviderQuickStats } from './ProviderQuickStats';

describe('ProviderQuickStats', () => {
  it('shows the delivery rate the events measured, as a percentage', () => {
    render(
      <ProviderQuickStats
        configured
        usage={{ sentToday: 1234, deliveryRate: 0.9923, lastUsedAt: null }}
      />,
    );
    expect(screen.getByLabelText('Delivery rate: 99.2%')).toHaveTextContent(
      '99.2%',
    );
    expect(
      screen.getByLabelText('Emails sent today: 1,234'),
    ).toBeInTheDocument();
  });

  it('shows a rate of 0% and 100% as measured, not as missing', () => {
    const { rerender } = render(
      <ProviderQuickStats
        configured
        usage={{ sentToday: 3, deliveryRate: 0, lastUsedAt: null }}
      />,
    );
    expect(screen.getByLabelText('Delivery rate: 0.0%')).toBeInTheDocument();
    rerender(
      <ProviderQuickStats
        configured
        usage={{ sentToday: 3, deliveryRate: 1, lastUsedAt: null }}
      />,
    );
    expect(screen.getByLabelText('Delivery rate: 100.0%')).toBeInTheDocument();
  });

  it('stays "—" with why while no event arrived', async () => {
    render(
      <ProviderQuickStats
        configured
        usage={{ sentToday: 5, deliveryRate: null, lastUsedAt: null }}
      />,
    );
    const rate = screen.getByLabelText('Delivery rate: not measured yet');
    expect(rate).toHaveTextContent('—');
    await userEvent.hover(rate);
    expect(await screen.findByText(NOT_MEASURED_YET)).toBeInTheDocument();
  });
});
