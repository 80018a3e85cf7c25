import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { DomainTable, describeVerifyOutcome } from './DomainTable';

jest.setTimeout(30_000);

const POSTMARK_CHECKS = [
  { key: 'dkim' as const, label: 'DKIM' },
  { key: 'returnPath' as const, label: 'Return-Path' },
];

/** MUI hides the page from assistive technology until a dialog has fully closed. */
const dialogGone = () =>
  waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

function renderTable(api: FakeEspApi) {
  renderInTestApp(
    <DomainTable
      providerId="postmark"
      refreshKey={1}
      checks={POSTMARK_CHECKS}
    />,
    { apis: [[espApiRef, api]] },
  );
}

describe('DomainTable', () => {
  it('shows a failed domain in its own words, its DNS records with copy buttons, and re-verifies it', async () => {
    const api = new FakeEspApi().configured();
    await api.addDomain('postmark', 'mail.example.com');
    api.domains[0] = { ...api.domains[0], status: 'failed', dkim: 'failed' };
    renderTable(api);

    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['Domain', 'Status', 'DKIM', 'Return-Path', 'Actions']);
    const row = within(table).getAllByRole('row')[1];
    // The domain failed; its DKIM record was not found.
    expect(within(row).getAllByRole('cell')[1]).toHaveTextContent('Failed');
    expect(within(row).getAllByRole('cell')[2]).toHaveTextContent('Not found');
    expect(within(row).getByText('Pending')).toBeInTheDocument();

    await userEvent.click(
      within(row).getByRole('button', { name: 'View DNS Records' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('DNS records for mail.example.com');
    expect(dialog).toHaveTextContent('pm._domainkey.mail.example.com');
    expect(dialog).toHaveTextContent('k=rsa;p=abc');
    expect(
      within(dialog).getByRole('button', { name: 'Copy DKIM value' }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Copy DKIM host' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await dialogGone();

    // The provider now sees the records: Re-verify asks it and reloads the table.
    api.domains[0] = {
      ...api.domains[0],
      status: 'verified',
      dkim: 'verified',
      returnPath: 'verified',
    };
    await userEvent.click(
      within(row).getByRole('button', { name: 'Re-verify' }),
    );
    expect(api.verifyDomain).toHaveBeenCalledWith('postmark', '1');
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'Verified domains' }),
        ).getAllByText('Verified'),
      ).toHaveLength(3),
    );
  });

  it('walks through the Add Domain wizard: name, records to publish, verification', async () => {
    const api = new FakeEspApi().configured();
    renderTable(api);
    expect(
      await screen.findByText(/No sending domains yet/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: '+ Add Domain' }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByLabelText(/^Domain name/);
    await userEvent.type(name, 'not a domain');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add domain' }),
    );
    expect(
      within(dialog).getByText(
        'Enter a domain name such as mail.yourdomain.com',
      ),
    ).toBeInTheDocument();
    expect(api.addDomain).not.toHaveBeenCalled();

    await userEvent.clear(name);
    await userEvent.type(name, 'Mail.Example.com');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add domain' }),
    );
    expect(
      await within(dialog).findByText('pm._domainkey.mail.example.com'),
    ).toBeInTheDocument();
    expect(api.addDomain).toHaveBeenCalledWith('postmark', 'mail.example.com');
    expect(
      within(dialog).getByRole('button', { name: 'Copy DKIM value' }),
    ).toBeInTheDocument();

    api.domains[0] = { ...api.domains[0], status: 'verified' };
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Verify' }),
    );
    expect(
      await within(dialog).findByText('mail.example.com is verified.'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    expect(
      await screen.findByRole('table', { name: 'Verified domains' }),
    ).toHaveTextContent('mail.example.com');
    // The wizard's check is said under the table as a Re-verify would be.
    expect(
      screen.getByRole('status', { name: 'Re-verify result' }),
    ).toHaveTextContent(/^mail.example.com is verified \(checked at .+\)\.$/);
  });

  it('shows what the wizard verified even when the list reload after the add was still loading', async () => {
    const api = new FakeEspApi().configured();
    // The list read that follows the add answers only after the verify: a
    // slow provider (Mailgun reads every domain) and a quick admin.
    const listAfterAdd = new Promise<void>(resolve => {
      api.verifyDomain.mockImplementationOnce(async (id, domainId) => {
        const result = await api.getDomain(id, domainId);
        resolve();
        return result;
      });
    });
    const list = api.listDomains.getMockImplementation()!;
    renderTable(api);
    await screen.findByText(/No sending domains yet/);
    api.listDomains.mockImplementationOnce(async () => {
      const answer = await list();
      await listAfterAdd;
      return answer;
    });

    await userEvent.click(screen.getByRole('button', { name: '+ Add Domain' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/^Domain name/),
      'mail.example.com',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add domain' }),
    );
    await within(dialog).findByText('pm._domainkey.mail.example.com');
    api.domains[0] = { ...api.domains[0], status: 'failed', dkim: 'failed' };
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Verify' }),
    );
    await userEvent.click(
      await within(dialog).findByRole('button', { name: 'Close' }),
    );

    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    const row = within(table).getAllByRole('row')[1];
    await waitFor(() =>
      expect(within(row).getAllByRole('cell')[2]).toHaveTextContent(
        'Not found',
      ),
    );
    expect(within(row).getAllByRole('cell')[1]).toHaveTextContent('Failed');
  });

  it('keeps the table and says why when a removal fails', async () => {
    const api = new FakeEspApi().configured();
    await api.addDomain('postmark', 'mail.example.com');
    api.removeDomain.mockRejectedValueOnce(
      new Error('Postmark reported an error: busy'),
    );
    renderTable(api);
    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    await userEvent.click(
      within(table).getByRole('button', { name: 'Remove' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await dialogGone();
    expect(api.removeDomain).not.toHaveBeenCalled();

    await userEvent.click(
      within(table).getByRole('button', { name: 'Remove' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Remove domain',
      }),
    );
    expect(
      await screen.findByText('Postmark reported an error: busy'),
    ).toBeInTheDocument();
    expect(screen.getByText('mail.example.com')).toBeInTheDocument();
  });

  it('treats a Mailgun domain whose records are not found yet as still pending, as on Postmark', async () => {
    const api = new FakeEspApi().configured();
    await api.addDomain('mailgun', 'mg.example.com');
    // Mailgun calls records it could not find "invalid"; the backend keeps
    // the domain pending, as Postmark's are until their DNS is found.
    api.domains[0] = {
      ...api.domains[0],
      status: 'pending',
      spf: 'failed',
      dkim: 'failed',
      cname: 'verified',
    };
    renderInTestApp(
      <DomainTable
        providerId="mailgun"
        refreshKey={1}
        checks={[
          { key: 'spf', label: 'SPF' },
          { key: 'dkim', label: 'DKIM' },
          { key: 'cname', label: 'CNAME' },
        ]}
      />,
      { apis: [[espApiRef, api]] },
    );
    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    const row = () => within(table).getAllByRole('row')[1];
    await userEvent.click(
      within(row()).getByRole('button', { name: 'Re-verify' }),
    );
    const outcome = await screen.findByRole('status', {
      name: 'Re-verify result',
    });
    expect(outcome).toHaveTextContent(
      /^mg.example.com: Still pending: SPF, DKIM not found yet\. Checked at \d/,
    );
    const statusCell = within(row()).getAllByRole('cell')[1];
    expect(statusCell).toHaveTextContent('Pending');
    expect(statusCell).not.toHaveTextContent('Failed');
  });

  it('keeps status words and actions on one line so narrow windows do not break them mid-word', async () => {
    const api = new FakeEspApi().configured();
    await api.addDomain('postmark', 'a-rather-long-subdomain.mail.example.com');
    renderTable(api);
    const table = await screen.findByRole('table', {
      name: 'Verified domains',
    });
    const [domain, status, dkim, returnPath, actions] = within(table)
      .getAllByRole('row')[1]
      .querySelectorAll('td');
    for (const cell of [status, dkim, returnPath, actions]) {
      expect(cell).toHaveStyle({ whiteSpace: 'nowrap' });
    }
    // The domain takes the room that is left and wraps between its labels.
    expect(domain).not.toHaveStyle({ whiteSpace: 'nowrap' });
  });

  it('says a re-verified domain the provider stopped has failed, and one still waiting for DNS is pending', () => {
    const checks = [
      { key: 'spf' as const, label: 'SPF' },
      { key: 'dkim' as const, label: 'DKIM' },
    ];
    const domain = {
      id: 'mg.example.com',
      name: 'mg.example.com',
      spf: 'failed' as const,
      dkim: 'verified' as const,
      cname: 'not_applicable' as const,
      returnPath: 'not_applicable' as const,
    };
    const checkedAt = new Date();
    const stopped = describeVerifyOutcome(
      { domain: { ...domain, status: 'failed' }, checkedAt },
      checks,
    );
    expect(stopped.tone).toBe('error');
    expect(stopped.text).toMatch(/^mg.example.com failed verification/);
    const waiting = describeVerifyOutcome(
      { domain: { ...domain, status: 'pending' }, checkedAt },
      checks,
    );
    expect(waiting.tone).toBe('warning');
    expect(waiting.text).toMatch(
      /^mg.example.com: Still pending: SPF not found yet/,
    );
  });
});
