import { screen } from '@testing-library/react';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { renderWebhooks } from '../../__testUtils__/renderWebhooks';
import { WebhooksPage } from './WebhooksPage';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

// A file of its own: the permission answers are cached per page load, and
// the other tests' "allowed" would answer for this one.
describe('WebhooksPage without esp.webhook.read', () => {
  it('tells a user without esp.webhook.read what they lack', async () => {
    const api = new FakeEspApi();
    renderWebhooks(<WebhooksPage />, { api, denied: ['esp.webhook.read'] });
    expect(
      await screen.findByText(
        'The webhooks page needs the esp.webhook.read permission.',
        {},
        WAIT,
      ),
    ).toBeInTheDocument();
    expect(api.listWebhookEndpoints).not.toHaveBeenCalled();
  });
});
