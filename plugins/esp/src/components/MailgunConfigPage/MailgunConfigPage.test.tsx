import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import { rootRouteRef } from '../../routes';
import { MailgunConfigPage } from './MailgunConfigPage';

jest.setTimeout(30_000);

async function renderPage(api: FakeEspApi) {
  renderInTestApp(<MailgunConfigPage />, {
    apis: [[espApiRef, api], mockApis.permission()],
    mountedRoutes: { '/dashboard/settings/integrations/esp': rootRouteRef },
  });
}

describe('MailgunConfigPage', () => {
  it('saves key, domain, EU region, tracking and advanced settings', async () => {
    const api = new FakeEspApi();
    await renderPage(api);
    const key = await screen.findByLabelText(
      /^API Key/,
      {},
      { timeout: 10_000 },
    );
    expect(key).toHaveAttribute('type', 'password');
    await userEvent.type(key, 'valid-server-token');
    await userEvent.type(screen.getByLabelText(/^Domain/), 'mg.example.com');
    await userEvent.click(screen.getByLabelText('EU (api.eu.mailgun.net)'));
    await userEvent.click(
      screen.getByRole('checkbox', { name: /DKIM Signing/ }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Advanced Settings' }),
    );
    await userEvent.click(
      await screen.findByRole('checkbox', { name: /Testmode/ }),
    );
    const prefix = screen.getByLabelText('Tag Prefix');
    await userEvent.type(prefix, 'pm-');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText('Mailgun configuration saved.'),
    ).toBeInTheDocument();
    expect(api.savedMailgun).toEqual([
      {
        apiKey: 'valid-server-token',
        domain: 'mg.example.com',
        region: 'eu',
        tracking: {
          trackOpens: true,
          trackClicks: true,
          autoUnsubscribe: true,
          dkimSigning: true,
        },
        advanced: {
          tagPrefix: 'pm-',
          batchSize: 100,
          retryAttempts: 3,
          timeoutSeconds: 30,
          testMode: true,
        },
      },
    ]);
  });

  it('names invalid fields and sends nothing', async () => {
    const api = new FakeEspApi();
    await renderPage(api);
    await userEvent.type(
      await screen.findByLabelText(/^Domain/, {}, { timeout: 10_000 }),
      'not a domain',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Advanced Settings' }),
    );
    const batch = await screen.findByLabelText('Batch Size');
    await userEvent.clear(batch);
    await userEvent.type(batch, '1001');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('API key is required')).toBeInTheDocument();
    expect(
      screen.getByText('Enter a domain name such as mail.yourdomain.com'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Batch size must be between 1 and 1000'),
    ).toBeInTheDocument();
    expect(api.saveConfig).not.toHaveBeenCalled();
  });

  it('shows the invalid-key message and keeps the input', async () => {
    const api = new FakeEspApi();
    await renderPage(api);
    const key = await screen.findByLabelText(
      /^API Key/,
      {},
      { timeout: 10_000 },
    );
    await userEvent.type(key, 'key-revoked');
    await userEvent.type(screen.getByLabelText(/^Domain/), 'mg.example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(
        screen.getAllByText(ESP_MESSAGES.invalidApiKey).length,
      ).toBeGreaterThan(0),
    );
    expect(key).toHaveValue('key-revoked');
    expect(api.savedMailgun).toEqual([]);
  });

  it('says Mailgun is not supported when the backend has no Mailgun adapter', async () => {
    const api = new FakeEspApi();
    api.getConfig.mockImplementation(async () => {
      throw await responseError(
        404,
        "Unknown or unavailable provider 'mailgun'",
      );
    });
    await renderPage(api);
    expect(
      await screen.findByText(
        'Mailgun configuration is not available yet',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });

  it('offers list validation only while Mailgun is enabled', async () => {
    const api = new FakeEspApi();
    api.mailgunView = { ...api.mailgunView, configured: true, enabled: false };
    await renderPage(api);
    expect(
      await screen.findByText(
        'Mailgun is disabled: enable it on the overview to validate lists.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Validate Email List' }),
    ).toBeDisabled();
  });

  it('says in the test email result that Testmode delivers nothing', async () => {
    const api = new FakeEspApi();
    api.mailgunView = {
      ...api.mailgunView,
      configured: true,
      enabled: true,
      apiKey: { set: true, mask: '••••-key' },
      domain: 'mg.example.com',
      advanced: { ...api.mailgunView.advanced, testMode: true },
    };
    await renderPage(api);
    await userEvent.type(
      await screen.findByLabelText(/^Recipient Email/, {}, { timeout: 10_000 }),
      'me@example.com',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    const result = screen.getByTestId('test-email-result');
    await waitFor(() =>
      expect(result).toHaveTextContent(
        'Testmode is on: Mailgun accepted the message and delivers none',
      ),
    );
  });

  it('words a refused tag as the form names it, before anything is sent', async () => {
    const api = new FakeEspApi();
    api.mailgunView = {
      ...api.mailgunView,
      configured: true,
      enabled: true,
      apiKey: { set: true, mask: '••••-key' },
      domain: 'mg.example.com',
    };
    await renderPage(api);
    await userEvent.type(
      await screen.findByLabelText(/^Recipient Email/, {}, { timeout: 10_000 }),
      'me@example.com',
    );
    await userEvent.type(
      screen.getByLabelText(/^Tags/),
      `welcome, ${'x'.repeat(129)}`,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    expect(
      await screen.findByText('Tags: tag 2 is longer than 128 characters.'),
    ).toBeInTheDocument();
    expect(api.sendTestEmail).not.toHaveBeenCalled();
  });

  it('saves and says which setting Mailgun could not apply', async () => {
    const api = new FakeEspApi();
    api.mailgunView = {
      ...api.mailgunView,
      configured: true,
      enabled: true,
      apiKey: { set: true, mask: '••••-key' },
      domain: 'mg.example.com',
    };
    api.saveWarnings = [
      'Automatic Unsubscribe could not be applied at Mailgun: it keeps its previous setting.',
    ];
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Save' }, { timeout: 10_000 }),
    );
    expect(
      await screen.findByText('Mailgun configuration saved.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Automatic Unsubscribe could not be applied at Mailgun: it keeps its previous setting.',
      ),
    ).toBeInTheDocument();
    // The warning belongs to that save: the next edit clears it with the message.
    await userEvent.click(
      screen.getByRole('checkbox', { name: /Track Opens/ }),
    );
    expect(
      screen.queryByText(/could not be applied at Mailgun/),
    ).not.toBeInTheDocument();
  });
});
