import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { DnsRecordView } from '@internal/plugin-esp-common';
import { screen, within } from '@testing-library/react';
import { DnsRecordsTable } from './DnsRecordsTable';

jest.setTimeout(30_000);

const record = (
  purpose: DnsRecordView['purpose'],
  type: DnsRecordView['type'],
  value: string,
  status: DnsRecordView['status'],
): DnsRecordView => ({
  purpose,
  type,
  host: 'mg.example.com',
  value,
  status,
});

describe('DnsRecordsTable', () => {
  it('shows each record with its own status, both MX records included', async () => {
    renderInTestApp(
      <DnsRecordsTable
        records={[
          record('SPF', 'TXT', 'v=spf1 include:mailgun.org ~all', 'verified'),
          record('DKIM', 'TXT', 'k=rsa; p=abc', 'failed'),
          record('MX', 'MX', 'mxa.mailgun.org', 'pending'),
          record('MX', 'MX', 'mxb.mailgun.org', 'pending'),
        ]}
      />,
    );
    const table = await screen.findByRole(
      'table',
      { name: 'DNS records' },
      { timeout: 10_000 },
    );
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^SPF.*Verified$/),
      expect.stringMatching(/^DKIM.*Not found$/),
      expect.stringMatching(/^MX.*mxa\.mailgun\.org.*Pending$/),
      expect.stringMatching(/^MX.*mxb\.mailgun\.org.*Pending$/),
    ]);
    expect(
      screen.getAllByRole('button', { name: 'Copy MX value' }),
    ).toHaveLength(2);
  });
});
