import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import {
  recordClipboard,
  renderWebhooks,
} from '../../__testUtils__/renderWebhooks';
import {
  endpointView,
  eventItem,
  eventView,
} from '../../__testUtils__/webhookFixtures';
import { WebhooksPage } from './WebhooksPage';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

const region = (name: string) => screen.findByRole('region', { name }, WAIT);

describe('WebhooksPage', () => {
  it('shows each endpoint with its status, counts and last event, and copies the URLs (Postmark revealed for admins)', async () => {
    const user = userEvent.setup();
    const copied = recordClipboard();
    const api = new FakeEspApi();
    api.endpoints = [
      endpointView('postmark', {
        eventsToday: 1234,
        lastEventAt: new Date(Date.now() - 2 * 60_000).toISOString(),
      }),
      endpointView('mailgun', {
        status: 'inactive',
        registrationError: 'Mailgun answered 401: Forbidden',
      }),
    ];
    renderWebhooks(<WebhooksPage />, { api });
    const postmark = await region('Postmark webhook endpoint');
    expect(postmark).toHaveTextContent(
      'https://esp:••••@backstage.example.com/api/esp/webhooks/postmark',
    );
    expect(postmark).toHaveTextContent('Active');
    expect(postmark).toHaveTextContent('1,234');
    expect(postmark).toHaveTextContent('2 minutes ago');
    const mailgun = await region('Mailgun webhook endpoint');
    expect(mailgun).toHaveTextContent('Inactive');
    expect(mailgun).toHaveTextContent('never');
    expect(within(mailgun).getByRole('alert')).toHaveTextContent(
      'Registration at Mailgun failed: Mailgun answered 401: Forbidden',
    );

    await user.click(
      within(mailgun).getByRole('button', { name: 'Copy the Mailgun URL' }),
    );
    expect(copied).toHaveBeenLastCalledWith(
      'https://backstage.example.com/api/esp/webhooks/mailgun',
    );
    expect(within(mailgun).getByRole('status')).toHaveTextContent('Copied');

    await user.click(
      within(postmark).getByRole('button', {
        name: 'Reveal and copy the Postmark URL with its credentials',
      }),
    );
    await waitFor(() =>
      expect(api.revealPostmarkWebhookUrl).toHaveBeenCalled(),
    );
    await waitFor(() =>
      expect(copied).toHaveBeenLastCalledWith(
        'https://esp:s3cret@backstage.example.com/api/esp/webhooks/postmark',
      ),
    );
  });

  it('saves a provider’s subscriptions with an unsaved-change hint, and shows a failed save', async () => {
    const user = userEvent.setup();
    const api = new FakeEspApi();
    renderWebhooks(<WebhooksPage />, { api });
    const mailgun = await screen.findByRole(
      'group',
      { name: 'Mailgun events' },
      WAIT,
    );
    const complained = within(mailgun).getByRole('checkbox', {
      name: /Complained/,
    });
    expect(complained).not.toBeChecked();
    expect(
      within(mailgun).getByRole('checkbox', { name: /Delivered/ }),
    ).toBeChecked();
    expect(mailgun).toHaveTextContent('Spam complaint.');
    const save = within(mailgun).getByRole('button', {
      name: 'Save Mailgun subscriptions',
    });
    expect(save).toBeDisabled();
    await user.click(complained);
    expect(mailgun).toHaveTextContent('Unsaved changes');
    await user.click(save);
    await waitFor(() =>
      expect(api.saveWebhookSubscriptions).toHaveBeenCalledWith('mailgun', [
        'delivered',
        'permanent_fail',
        'opened',
        'clicked',
        'complained',
      ]),
    );
    expect(
      await within(mailgun).findByText('Saved and registered at Mailgun.'),
    ).toBeInTheDocument();
    expect(mailgun).not.toHaveTextContent('Unsaved changes');

    api.saveWebhookSubscriptions.mockRejectedValueOnce(
      await responseError(502, 'Postmark refused the webhook: 422'),
    );
    const postmark = screen.getByRole('group', { name: 'Postmark events' });
    await user.click(
      within(postmark).getByRole('checkbox', { name: /Spam Complaint/ }),
    );
    await user.click(
      within(postmark).getByRole('button', {
        name: 'Save Postmark subscriptions',
      }),
    );
    expect(await within(postmark).findByRole('alert')).toHaveTextContent(
      'Postmark refused the webhook: 422',
    );
  });

  it('shows the security scheme, lets an admin paste the Mailgun signing key, and generates firewall rules per format', async () => {
    const user = userEvent.setup();
    const copied = recordClipboard();
    const api = new FakeEspApi();
    api.endpoints = [
      endpointView('postmark'),
      endpointView('mailgun', {
        security: {
          scheme: 'hmac',
          status: 'configure_signing_key',
          customHeader: false,
          ipAllowlist: { enforced: false, ranges: ['209.61.151.0/24'] },
          rejectedToday: 3,
        },
      }),
    ];
    renderWebhooks(<WebhooksPage />, { api });
    const postmark = await region('Postmark security');
    expect(postmark).toHaveTextContent('Verified');
    expect(postmark).toHaveTextContent('50.31.156.6, 50.31.156.77');
    const mailgun = await region('Mailgun security');
    expect(mailgun).toHaveTextContent('Configure signing key');
    expect(mailgun).toHaveTextContent('Requests refused today: 3');
    await user.type(
      within(mailgun).getByLabelText('HTTP webhook signing key'),
      ' key-abc ',
    );
    await user.click(
      within(mailgun).getByRole('button', { name: 'Save signing key' }),
    );
    await waitFor(() =>
      expect(api.setMailgunSigningKey).toHaveBeenCalledWith('key-abc'),
    );
    await waitFor(() => expect(mailgun).toHaveTextContent('Verified'), WAIT);

    await user.click(screen.getByRole('button', { name: 'Add to Firewall' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Add to Firewall',
    });
    expect(
      await within(dialog).findByLabelText('nftables rules'),
    ).toHaveTextContent('# nftables rules');
    await user.click(within(dialog).getByRole('tab', { name: 'ufw' }));
    expect(await within(dialog).findByLabelText('ufw rules')).toHaveTextContent(
      '# ufw rules',
    );
    expect(api.getFirewallRules).toHaveBeenLastCalledWith('ufw');
    await user.click(
      within(dialog).getByRole('button', { name: 'Copy the ufw rules' }),
    );
    await waitFor(() =>
      expect(copied).toHaveBeenLastCalledWith('# ufw rules\nallow 50.31.156.6'),
    );
  });

  it('sends a test event and shows the HTTP status, the payload received and how it was processed', async () => {
    const user = userEvent.setup();
    const api = new FakeEspApi();
    const item = eventItem('t1', { provider: 'mailgun', type: 'bounced' });
    api.testResult = {
      httpStatus: 200,
      payload: { 'event-data': { event: 'failed', severity: 'permanent' } },
      event: eventView(item, {
        details: 'User unknown',
        result: { note: 'Not a message ESP Hub sent' },
      }),
    };
    renderWebhooks(<WebhooksPage />, { api });
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Event Type' }, WAIT),
      'Bounce',
    );
    const card = screen
      .getByRole('button', { name: 'Send Test Event' })
      .closest('div')!;
    await user.selectOptions(
      within(card.parentElement!.parentElement!).getAllByRole('combobox', {
        name: 'Provider',
      })[0],
      'Mailgun',
    );
    await user.click(screen.getByRole('button', { name: 'Send Test Event' }));
    await waitFor(() =>
      expect(api.sendTestWebhook).toHaveBeenCalledWith({
        provider: 'mailgun',
        eventType: 'bounced',
      }),
    );
    const result = await region('Test result');
    expect(result).toHaveTextContent('HTTP 200');
    expect(result).toHaveTextContent('Processed as Hard Bounce (User unknown)');
    expect(result).toHaveTextContent('Not a message ESP Hub sent');
    expect(within(result).getByLabelText('Payload received')).toHaveTextContent(
      '"severity": "permanent"',
    );
  });
});
