import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { rootRouteRef } from '../../routes';
import { SmtpConfigPage } from './SmtpConfigPage';

jest.setTimeout(30_000);

async function renderPage(api: FakeEspApi) {
  renderInTestApp(<SmtpConfigPage />, {
    apis: [[espApiRef, api], mockApis.permission()],
    mountedRoutes: { '/dashboard/settings/integrations/esp': rootRouteRef },
  });
  return screen.findByLabelText(/^Host/, {}, { timeout: 10_000 });
}

describe('SmtpConfigPage', () => {
  it('saves a relay with authentication', async () => {
    const api = new FakeEspApi();
    const host = await renderPage(api);
    await userEvent.type(host, 'smtp.example.com');
    const port = screen.getByLabelText(/^Port/);
    await userEvent.clear(port);
    await userEvent.type(port, '2525');
    await userEvent.type(screen.getByLabelText(/^Username/), 'mailer');
    await userEvent.type(screen.getByLabelText(/^Password/), 'relay-password');
    await userEvent.type(
      screen.getByLabelText(/^Default Sender/),
      'noreply@example.com',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText('SMTP relay configuration saved.'),
    ).toBeInTheDocument();
    expect(api.savedSmtp).toEqual([
      {
        host: 'smtp.example.com',
        port: 2525,
        tls: 'starttls',
        username: 'mailer',
        password: 'relay-password',
        defaultSender: 'noreply@example.com',
        timeoutSeconds: 30,
      },
    ]);
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
  });

  it('names invalid fields and sends nothing', async () => {
    const api = new FakeEspApi();
    await renderPage(api);
    const port = screen.getByLabelText(/^Port/);
    await userEvent.clear(port);
    await userEvent.type(port, '70000');
    await userEvent.type(screen.getByLabelText(/^Default Sender/), 'nobody');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('Host must not be empty'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Port must be between 1 and 65535'),
    ).toBeInTheDocument();
    expect(screen.getByText(/valid email address/)).toBeInTheDocument();
    expect(api.saveConfig).not.toHaveBeenCalled();
  });

  it('says what an unconfigured relay needs before it can be tested', async () => {
    const api = new FakeEspApi();
    await renderPage(api);
    expect(
      screen.getByText("Save the relay's host and default sender first."),
    ).toBeInTheDocument();
    expect(screen.queryByText(/API token/)).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Test Connection' }),
    ).toBeDisabled();
  });

  it('starts from the relay the portal suggests, and saves it as is', async () => {
    const api = new FakeEspApi();
    api.smtpView = {
      ...api.smtpView,
      host: '127.0.0.1',
      port: 7125,
      tls: 'none',
      defaultSender: 'portal@esp-hub.example',
    };
    const host = await renderPage(api);
    expect(host).toHaveValue('127.0.0.1');
    expect(screen.getByRole('note')).toHaveTextContent(
      "Prefilled with the relay this portal's configuration suggests.",
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText('SMTP relay configuration saved.'),
    ).toBeInTheDocument();
    expect(api.savedSmtp).toEqual([
      expect.objectContaining({
        host: '127.0.0.1',
        port: 7125,
        tls: 'none',
        defaultSender: 'portal@esp-hub.example',
      }),
    ]);
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });
});
