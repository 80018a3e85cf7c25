import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import { rootRouteRef } from '../../routes';
import { PostmarkConfigPage } from './PostmarkConfigPage';

// The test app loads lazily and MUI renders slowly in jsdom: give each test room.
jest.setTimeout(30_000);

async function renderPage(api: FakeEspApi) {
  renderInTestApp(<PostmarkConfigPage />, {
    apis: [[espApiRef, api], mockApis.permission()],
    mountedRoutes: { '/dashboard/settings/integrations/esp': rootRouteRef },
  });
  return screen.findByLabelText(/^API Token/, {}, { timeout: 10_000 });
}

describe('PostmarkConfigPage', () => {
  it('masks the token by default and reveals it with Show', async () => {
    const token = await renderPage(new FakeEspApi().configured());
    expect(token).toHaveAttribute('type', 'password');
    expect(token).toHaveAttribute(
      'placeholder',
      expect.stringContaining('••••oken'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Show token' }));
    expect(token).toHaveAttribute('type', 'text');
    await userEvent.click(screen.getByRole('button', { name: 'Hide token' }));
    expect(token).toHaveAttribute('type', 'password');

    const account = screen.getByLabelText(/^Account Token/);
    expect(account).toHaveAttribute('type', 'password');
    await userEvent.click(
      screen.getByRole('button', { name: 'Show account token' }),
    );
    expect(account).toHaveAttribute('type', 'text');
    // Each field has its own toggle: revealing one leaves the other masked.
    expect(token).toHaveAttribute('type', 'password');
  });

  it('shows a load failure with a retry that brings the form back', async () => {
    const api = new FakeEspApi();
    api.getConfig.mockRejectedValueOnce(
      await responseError(503, 'Unable to connect to Postmark.'),
    );
    renderInTestApp(<PostmarkConfigPage />, {
      apis: [[espApiRef, api], mockApis.permission()],
      mountedRoutes: { '/dashboard/settings/integrations/esp': rootRouteRef },
    });
    expect(
      await screen.findByText(/Could not load the Postmark configuration/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByLabelText(/^API Token/)).toBeInTheDocument();
  });

  it('checks the default sender when the admin leaves the field', async () => {
    await renderPage(new FakeEspApi());
    const sender = screen.getByLabelText(/^Default Sender/);
    await userEvent.type(sender, 'noreply@');
    fireEvent.blur(sender);
    expect(
      await screen.findByText(
        'Enter a valid email address, e.g. noreply@yourdomain.com',
      ),
    ).toBeInTheDocument();
    await userEvent.type(sender, 'example.com');
    fireEvent.blur(sender);
    expect(
      screen.queryByText(
        'Enter a valid email address, e.g. noreply@yourdomain.com',
      ),
    ).not.toBeInTheDocument();
  });

  it('keeps the stored stream selectable before a token is saved and checks every advanced limit', async () => {
    const api = new FakeEspApi().configured({
      configured: false,
      serverToken: { set: true, mask: '••••oken' },
    });
    await renderPage(api);
    expect(api.listMessageStreams).not.toHaveBeenCalled();
    // Before the first save the server's streams cannot be listed: the stored
    // default still reads as Postmark names it, not as its id.
    expect(screen.getByLabelText(/^Message Stream/)).toHaveTextContent(
      'Default Transactional Stream',
    );
    expect(screen.getByLabelText(/^Message Stream/)).not.toHaveTextContent(
      'outbound',
    );
    for (const [label, value] of [
      [/^Retry Attempts/, '6'],
      [/^Timeout/, '4'],
      [/^Batch Size/, '0'],
    ] as const) {
      const input = screen.getByLabelText(label);
      await userEvent.clear(input);
      await userEvent.type(input, value);
    }
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('Retry attempts must be between 0 and 5'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Timeout must be between 5 and 60'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Batch size must be between 1 and 500'),
    ).toBeInTheDocument();
    expect(api.saveConfig).not.toHaveBeenCalled();
    // Nothing typed is lost by a refused save.
    expect(screen.getByLabelText(/^Retry Attempts/)).toHaveValue(6);
  });

  it('shows the status, last test and sender verification of a saved configuration', async () => {
    await renderPage(new FakeEspApi().configured());
    expect(screen.getByText('Connected')).toBeInTheDocument();
    expect(screen.getByText('Last tested: just now')).toBeInTheDocument();
    expect(screen.getByText('Verified')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View Postmark Dashboard/ }),
    ).toHaveAttribute('target', '_blank');
    expect(
      screen.getByRole('link', { name: 'Set up webhooks →' }),
    ).toHaveAttribute('href', '/dashboard/settings/integrations/esp/webhooks');
  });

  it('checks a typed token on blur', async () => {
    const api = new FakeEspApi();
    const token = await renderPage(api);
    await userEvent.type(token, 'typo-token');
    fireEvent.blur(token);
    expect(
      await screen.findByText(ESP_MESSAGES.invalidApiKey),
    ).toBeInTheDocument();
    expect(api.validateCredentials).toHaveBeenCalledWith(
      'postmark',
      'typo-token',
    );

    await userEvent.clear(token);
    await userEvent.type(token, 'valid-server-token');
    fireEvent.blur(token);
    expect(
      await screen.findByText('Valid token for server Sandbox'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(ESP_MESSAGES.invalidApiKey),
    ).not.toBeInTheDocument();
  });

  it('blocks a save with invalid fields and names each one', async () => {
    const api = new FakeEspApi().configured();
    await renderPage(api);
    const sender = screen.getByLabelText(/^Default Sender/);
    await userEvent.clear(sender);
    await userEvent.type(sender, 'not-an-email');
    const batch = screen.getByLabelText(/^Batch Size/);
    await userEvent.clear(batch);
    await userEvent.type(batch, '501');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/valid email address/)).toBeInTheDocument();
    expect(
      screen.getByText('Batch size must be between 1 and 500'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Fix the highlighted fields; nothing was saved.'),
    ).toBeInTheDocument();
    expect(api.saveConfig).not.toHaveBeenCalled();
  });

  it('saves without resending a stored token, then shows the saved state', async () => {
    const api = new FakeEspApi().configured();
    await renderPage(api);
    await userEvent.click(
      screen.getByRole('checkbox', { name: /Track Delivery/ }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText('Postmark configuration saved.'),
    ).toBeInTheDocument();
    expect(api.saved).toEqual([
      {
        defaultSender: 'noreply@example.com',
        tracking: { trackOpens: true, trackLinks: true, trackDelivery: true },
        advanced: {
          messageStream: 'outbound',
          batchSize: 50,
          retryAttempts: 3,
          timeoutSeconds: 30,
        },
      },
    ]);
  });

  it("shows the server's refusal and keeps what was typed", async () => {
    const api = new FakeEspApi();
    const token = await renderPage(api);
    await userEvent.type(token, 'revoked-token');
    await userEvent.type(
      screen.getByLabelText(/^Default Sender/),
      'ops@example.com',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    // Once under the field (checked on blur) and once as the outcome of the save.
    await waitFor(() =>
      expect(screen.getAllByText(ESP_MESSAGES.invalidApiKey)).toHaveLength(2),
    );
    expect(token).toHaveValue('revoked-token');
    expect(screen.getByLabelText(/^Default Sender/)).toHaveValue(
      'ops@example.com',
    );
    expect(api.saved).toEqual([]);
  });

  it('requires a token on the first save', async () => {
    const api = new FakeEspApi();
    await renderPage(api);
    await userEvent.type(
      screen.getByLabelText(/^Default Sender/),
      'ops@example.com',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('API token is required'),
    ).toBeInTheDocument();
    expect(api.saveConfig).not.toHaveBeenCalled();
  });

  it('sends a test email and shows the message id, or the provider error', async () => {
    const api = new FakeEspApi().configured();
    await renderPage(api);
    const recipient = screen.getByLabelText(/^Recipient Email/);
    await userEvent.type(recipient, 'me@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    const result = await screen.findByTestId('test-email-result');
    await waitFor(() =>
      expect(result).toHaveTextContent(
        'Message ID b7bc2f4a-e38e-4336-af7d-e6c392c2f817',
      ),
    );
    expect(api.sentTo).toEqual(['me@example.com']);

    await userEvent.clear(recipient);
    await userEvent.type(recipient, 'me@blocked.example');
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    await waitFor(() =>
      expect(result).toHaveTextContent(/not a Sender Signature/),
    );

    await userEvent.clear(recipient);
    await userEvent.type(recipient, 'me@unverified.example');
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    await waitFor(() =>
      expect(result).toHaveTextContent('Domain verification required.'),
    );
    expect(
      screen.getByRole('link', { name: 'View DNS records →' }),
    ).toHaveAttribute('href', '#domain-verification');
  });

  it('lists domains with their checks and removes one after confirmation', async () => {
    const api = new FakeEspApi().configured();
    await api.addDomain('postmark', 'mail.example.com');
    api.domains[0] = {
      ...api.domains[0],
      status: 'verified',
      dkim: 'verified',
      returnPath: 'verified',
    };
    await api.addDomain('postmark', 'news.example.com');
    await renderPage(api);

    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1]).getByText('mail.example.com')).toBeInTheDocument();
    expect(within(rows[1]).getAllByText('Verified')).toHaveLength(3);
    expect(within(rows[2]).getAllByText('Pending')).toHaveLength(3);

    await userEvent.click(
      within(rows[2]).getByRole('button', { name: 'Remove' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Remove news.example.com?');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove domain' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('news.example.com')).not.toBeInTheDocument(),
    );
    expect(api.removeDomain).toHaveBeenCalledWith('postmark', '2');
    expect(api.domains.map(d => d.name)).toEqual(['mail.example.com']);
  });

  it('explains why the domain table is empty without an account token', async () => {
    await renderPage(
      new FakeEspApi().configured({ accountToken: { set: false, mask: null } }),
    );
    expect(
      await screen.findByText('Add an account token to manage domains.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '+ Add Domain' })).toBeDisabled();
  });

  it('shows a range error when the admin leaves the field, before any Save', async () => {
    const api = new FakeEspApi().configured();
    await renderPage(api);
    const batch = screen.getByLabelText(/^Batch Size/);
    await userEvent.clear(batch);
    await userEvent.type(batch, '501');
    fireEvent.blur(batch);
    expect(
      await screen.findByText('Batch size must be between 1 and 500'),
    ).toBeInTheDocument();
    await userEvent.clear(batch);
    await userEvent.type(batch, '500');
    fireEvent.blur(batch);
    await waitFor(() =>
      expect(
        screen.queryByText('Batch size must be between 1 and 500'),
      ).not.toBeInTheDocument(),
    );
    expect(api.saveConfig).not.toHaveBeenCalled();
  });

  it('opens Advanced Settings on an invalid save without MUI warning about an uncontrolled accordion', async () => {
    const logged = jest.spyOn(console, 'error');
    try {
      await renderPage(new FakeEspApi().configured());
      const toggle = screen.getByRole('button', { name: 'Advanced Settings' });
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      const batch = screen.getByLabelText(/^Batch Size/);
      await userEvent.clear(batch);
      await userEvent.type(batch, '0');
      await userEvent.click(screen.getByRole('button', { name: 'Save' }));
      await screen.findByText('Batch size must be between 1 and 500');
      expect(toggle).toHaveAttribute('aria-expanded', 'true');
      // The admin can still close it.
      await userEvent.click(toggle);
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      const accordionWarnings = logged.mock.calls.filter(args =>
        args.some(a =>
          /uncontrolled Accordion|default expanded/i.test(String(a)),
        ),
      );
      expect(accordionWarnings).toEqual([]);
    } finally {
      logged.mockRestore();
    }
  });

  it('clears a result when the next action starts or the form changes', async () => {
    const api = new FakeEspApi().configured();
    await renderPage(api);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('Postmark configuration saved.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('checkbox', { name: /Track Opens/ }),
    );
    expect(
      screen.queryByText('Postmark configuration saved.'),
    ).not.toBeInTheDocument();

    const recipient = screen.getByLabelText(/^Recipient Email/);
    await userEvent.type(recipient, 'me@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    const result = screen.getByTestId('test-email-result');
    await waitFor(() =>
      expect(result).toHaveTextContent(/^Sent to me@example.com/),
    );
    // A new send that fails validation leaves no old success beneath its error.
    await userEvent.clear(recipient);
    await userEvent.type(recipient, 'nobody');
    await userEvent.click(screen.getByRole('button', { name: 'Send Test' }));
    expect(await screen.findByText(/valid email address/)).toBeInTheDocument();
    expect(result).toHaveTextContent('');
    expect(api.sentTo).toEqual(['me@example.com']);
  });

  it('says Disabled, not Connected, for a provider switched off on the overview', async () => {
    await renderPage(new FakeEspApi().configured({ enabled: false }));
    const status = screen.getByRole('status', { name: 'Connection status' });
    expect(status).toHaveTextContent('Disabled');
    expect(status).not.toHaveTextContent('Connected');
    expect(
      screen.getByText(/Postmark is disabled: nothing is sent through it/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Enable it on the overview' }),
    ).toHaveAttribute('href', '/dashboard/settings/integrations/esp/overview');
  });

  it('reloads the default sender status after Re-verify verifies its domain', async () => {
    const api = new FakeEspApi().configured({
      defaultSenderStatus: 'unverified',
      defaultSenderDetail: 'its domain is not verified',
    });
    await api.addDomain('postmark', 'example.com');
    api.verifyDomain.mockImplementation(async (_id, domainId) => {
      // Postmark now sees the records: the domain and its sender are verified.
      api.domains[0] = {
        ...api.domains[0],
        status: 'verified',
        dkim: 'verified',
        returnPath: 'verified',
      };
      api.view = { ...api.view, defaultSenderStatus: 'verified' };
      return api.getDomain('postmark', domainId);
    });
    await renderPage(api);
    const sender = screen.getByLabelText('Sender status');
    expect(sender).toHaveTextContent('Unverified');
    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    await userEvent.click(
      within(table).getByRole('button', { name: 'Re-verify' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Sender status')).toHaveTextContent(
        /^Verified$/,
      ),
    );
    expect(
      screen.getByRole('status', { name: 'Re-verify result' }),
    ).toHaveTextContent(/example.com is verified \(checked at .+\)\./);
  });

  it('says what is still pending after Re-verify of a pending domain, and when it checked', async () => {
    const api = new FakeEspApi().configured();
    await api.addDomain('postmark', 'example.com');
    await renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    await userEvent.click(
      within(table).getByRole('button', { name: 'Re-verify' }),
    );
    const outcome = await screen.findByRole('status', {
      name: 'Re-verify result',
    });
    expect(outcome).toHaveTextContent(
      /^example.com: Still pending: DKIM, Return-Path not found yet\. Checked at \d/,
    );
  });

  it('drops a failed connection test once a new configuration is saved', async () => {
    const api = new FakeEspApi().configured();
    api.testConnection.mockResolvedValueOnce({
      ok: false,
      testedAt: new Date().toISOString(),
      message: ESP_MESSAGES.invalidApiKey,
    });
    const token = await renderPage(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Test Connection' }),
    );
    const status = screen.getByRole('status', { name: 'Connection status' });
    await waitFor(() => expect(status).toHaveTextContent('Disconnected'));
    expect(screen.getByText(ESP_MESSAGES.invalidApiKey)).toBeInTheDocument();

    await userEvent.type(token, 'valid-server-token');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Postmark configuration saved.');
    expect(
      screen.getByRole('status', { name: 'Connection status' }),
    ).toHaveTextContent('Connected');
    expect(
      screen.queryByText(ESP_MESSAGES.invalidApiKey),
    ).not.toBeInTheDocument();
  });
});
