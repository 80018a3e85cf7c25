import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import { renderWebhooks } from '../../__testUtils__/renderWebhooks';
import { WebhooksPage } from './WebhooksPage';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

const region = (name: string) => screen.findByRole('region', { name }, WAIT);

// A file of its own: the permission answers are cached for a moment, and the
// other tests' "allowed" would answer for this one.
describe('WebhooksPage for a reader who may not manage', () => {
  it('shows a failed endpoint load with Retry, and what a reader without manage permission cannot do', async () => {
    const user = userEvent.setup();
    const api = new FakeEspApi();
    api.listWebhookEndpoints.mockRejectedValueOnce(
      await responseError(500, 'The database is away'),
    );
    renderWebhooks(<WebhooksPage />, {
      api,
      denied: ['esp.webhook.manage', 'esp.suppression.manage'],
    });
    expect(
      await screen.findByText('The database is away', {}, WAIT),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await region('Postmark webhook endpoint');
    expect(
      screen.getByRole('button', {
        name: 'Reveal and copy the Postmark URL with its credentials',
      }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Send Test Event' }),
    ).toBeDisabled();
    expect(
      screen.getByText(
        'Changing the subscriptions needs the esp.webhook.manage permission.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The suppression list needs the esp.suppression.manage permission.',
      ),
    ).toBeInTheDocument();
  });
});
