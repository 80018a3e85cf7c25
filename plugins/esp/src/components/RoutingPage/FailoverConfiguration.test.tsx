import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { moveWithKeyboard } from '../../__testUtils__/dndInJsdom';
import { renderRoutingPage } from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(60_000);

const chainLabels = () =>
  within(screen.getByRole('list', { name: 'Failover Order' }))
    .getAllByRole('listitem')
    .map(li => li.getAttribute('aria-label'));

describe('FailoverConfiguration', () => {
  it('names retry fields out of range and saves nothing until they are fixed', async () => {
    const api = await renderRoutingPage();
    expect(
      screen.getByText(
        'If primary ESP fails, automatically retry with secondary after delay.',
      ),
    ).toBeInTheDocument();
    const attempts = screen.getByLabelText('Retry Attempts');
    const delay = screen.getByLabelText('Retry Delay (seconds)');
    expect(attempts).toHaveValue(3);
    expect(delay).toHaveValue(30);
    await userEvent.clear(attempts);
    await userEvent.type(attempts, '6');
    await userEvent.clear(delay);
    expect(
      screen.getByText('Retry Attempts must be from 1 to 5'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Retry Delay must be from 10 to 300 seconds'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.saveRouting).not.toHaveBeenCalled();

    await userEvent.clear(attempts);
    await userEvent.type(attempts, '5');
    await userEvent.type(delay, '120');
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Enable Failover' }),
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Action for Bad credentials'),
      'Fail the message',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Routing saved as version 1.');
    const [saved] = api.saveRouting.mock.calls[0];
    expect(saved.failover).toEqual({
      enabled: false,
      retryAttempts: 5,
      retryDelaySeconds: 120,
      chain: ['postmark', 'mailgun', 'smtp'],
    });
    expect(saved.errorActions).toEqual(
      expect.objectContaining({ bad_credentials: 'fail', timeout: 'retry' }),
    );
  });

  it('reorders the chain by keyboard as Primary, Secondary, Final, and edits it', async () => {
    const api = await renderRoutingPage();
    expect(chainLabels()).toEqual([
      '1. Primary: Postmark',
      '2. Secondary: Mailgun',
      '3. Final: Built-in SMTP',
    ]);
    // One row per error class, with the defaults.
    expect(screen.getByLabelText('Action for Rate limited')).toHaveDisplayValue(
      'Retry, then fail over',
    );
    expect(
      screen.getByLabelText(
        'Action for Recipient inactive or suppressed at the provider',
      ),
    ).toHaveDisplayValue('Fail the message');

    await moveWithKeyboard(
      screen.getByRole('button', {
        name: 'Reorder Built-in SMTP in the failover order',
      }),
      'up',
      2,
    );
    expect(chainLabels()).toEqual([
      '1. Primary: Built-in SMTP',
      '2. Secondary: Postmark',
      '3. Final: Mailgun',
    ]);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Remove Postmark from the failover order',
      }),
    );
    expect(chainLabels()).toEqual([
      '1. Primary: Built-in SMTP',
      '2. Final: Mailgun',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Routing saved as version 1.');
    expect(api.saveRouting.mock.calls[0][0].failover.chain).toEqual([
      'smtp',
      'mailgun',
    ]);
    // Put back, it comes last.
    await userEvent.click(
      screen.getByRole('button', { name: '+ Add Postmark' }),
    );
    expect(chainLabels()[2]).toBe('3. Final: Postmark');
  });
});
