import { AnalyticsView } from '@internal/plugin-esp-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import {
  SPEC_ROWS,
  analyticsViewOf,
  displayName,
  emptyView,
  specView,
} from '../../__testUtils__/analyticsFixtures';
import {
  FakeSignals,
  captureDownloads,
  renderAnalytics,
} from '../../__testUtils__/renderAnalytics';
import { formatCount, formatCountWithRate, formatRate } from './format';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

const table = () =>
  screen.findByRole('table', { name: 'Deliverability comparison' }, WAIT);

/** Each body row's cells as text. */
async function tableRows(): Promise<string[][]> {
  const rows = within(await table())
    .getAllByRole('row')
    .slice(1);
  return rows.map(row =>
    [...row.querySelectorAll('th, td')].map(cell => cell.textContent ?? ''),
  );
}

const search = () => screen.getByTestId('location-search').textContent;
const pressed = (name: string) =>
  screen.getByRole('button', { name }).getAttribute('aria-pressed');
const lastQuery = (api: FakeEspApi) => api.getAnalytics.mock.calls.at(-1)![0];

describe('AnalyticsPage', () => {
  it('shows the four cards and the comparison table, sortable by every column', async () => {
    const api = new FakeEspApi();
    const view = specView();
    api.analytics = view;
    renderAnalytics({ api });

    expect(await tableRows()).toEqual(
      [...view.providers]
        .sort((a, b) => b.sent - a.sent)
        .map(p => [
          displayName(p.providerId),
          formatCount(p.sent),
          formatCount(p.delivered),
          formatCountWithRate(p.bounced, p.bounceRate),
          formatCountWithRate(p.opened, p.openRate),
          formatCountWithRate(p.clicked, p.clickRate),
          formatRate(p.deliveryRate),
        ]),
    );
    // The spec's Postmark row, computed by the fixture from daily counts.
    const postmark = (await tableRows()).find(r => r[0] === 'Postmark')!;
    expect(postmark.slice(1, 4)).toEqual(['5,234', '5,192', '42 (0.8%)']);
    expect(postmark[6]).toBe('99.2%');

    const card = (id: string) => screen.getByTestId(`analytics-card-${id}`);
    expect(card('sent')).toHaveTextContent(formatCount(view.totals.sent));
    expect(card('sent')).toHaveTextContent('Total Emails Sent');
    expect(card('deliveryRate')).toHaveTextContent(
      formatRate(view.totals.deliveryRate),
    );
    expect(card('openRate')).toHaveTextContent(
      formatRate(view.totals.openRate),
    );
    expect(card('clickRate')).toHaveTextContent(
      formatRate(view.totals.clickRate),
    );
    expect(pressed('Last 30 Days')).toBe('true');
    expect(lastQuery(api)).toEqual({ range: '30d' });

    const byName = () => tableRows().then(rows => rows.map(r => r[0]));
    await userEvent.click(screen.getByRole('button', { name: 'Provider' }));
    expect(await byName()).toEqual(['Built-in SMTP', 'Mailgun', 'Postmark']);
    await userEvent.click(screen.getByRole('button', { name: 'Provider' }));
    expect(await byName()).toEqual(['Postmark', 'Mailgun', 'Built-in SMTP']);
    await userEvent.click(
      screen.getByRole('button', { name: 'Delivery Rate' }),
    );
    expect(await byName()).toEqual(['Postmark', 'Mailgun', 'Built-in SMTP']);
    await userEvent.click(
      screen.getByRole('button', { name: 'Delivery Rate' }),
    );
    expect(await byName()).toEqual(['Built-in SMTP', 'Mailgun', 'Postmark']);
    await userEvent.click(screen.getByRole('button', { name: 'Bounced' }));
    expect(await byName()).toEqual(['Built-in SMTP', 'Mailgun', 'Postmark']);
  });

  it('shows an absent rate as a dash with the reason, and each block of the page', async () => {
    const api = new FakeEspApi();
    const rows = [
      ...SPEC_ROWS,
      {
        ...SPEC_ROWS[0],
        providerId: 'smtp' as const,
        delivered: 0,
        bounced: 0,
        opened: 0,
        clicked: 0,
        sent: 0,
        failed: 3,
      },
    ].filter(r => r.providerId !== 'smtp' || r.sent === 0);
    // Built-in SMTP sent nothing: no delivery rate, no open rate.
    const nothing = analyticsViewOf(rows, {
      from: '2026-11-03',
      to: '2026-12-02',
    });
    api.analytics = nothing;
    renderAnalytics({ api });
    const smtp = (await tableRows()).find(r => r[0] === 'Built-in SMTP')!;
    expect(smtp).toEqual([
      'Built-in SMTP',
      '0',
      '0',
      '0 (—)',
      '0 (—)',
      '0 (—)',
      '—',
    ]);
    const dash = within(await table())
      .getAllByText('—')
      .at(-1)!;
    await userEvent.hover(dash);
    expect(await screen.findByRole('tooltip', {}, WAIT)).toHaveTextContent(
      'No mail was sent, so there is no rate.',
    );

    for (const title of [
      'Delivery rate over time',
      'Sent volume by provider',
      'Email type distribution',
      'Routing decisions by rule',
      'Bounce reasons',
      'Open rate by provider',
      'Click rate by provider',
      'Time to open',
    ]) {
      expect(screen.getByRole('figure', { name: title })).toBeInTheDocument();
    }
    expect(screen.getByText(/Data through 5 minutes ago/)).toBeInTheDocument();
  });

  it('shows the insights with their basis, the cost block and the bouncing domains, and exports the bounce list of the range', async () => {
    const files = captureDownloads();
    const api = new FakeEspApi();
    api.analytics = specView();
    renderAnalytics({ api, url: '/?range=7d' });
    const insights = await screen.findByRole(
      'list',
      { name: 'Performance insights' },
      WAIT,
    );
    const items = within(insights).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'Postmark: Excellent for transactional emails. 99.2% delivery rate.',
    );
    expect(within(items[0]).getByText('Postmark').tagName).toBe('STRONG');
    expect(
      within(items[0]).getByRole('img', { name: 'success' }),
    ).toHaveTextContent('✅');
    expect(items[0]).toHaveTextContent(
      'Based on deliveryRate 99.2% over 5,234 messages (threshold 99.0%).',
    );
    expect(
      within(items[2]).getByRole('img', { name: 'warning' }),
    ).toHaveTextContent('⚠️');

    const cost = screen.getByRole('region', { name: 'Cost analysis' });
    expect(cost).toHaveTextContent('Postmark: $0.00126 (5,192 delivered)');
    expect(cost).toHaveTextContent('Mailgun: $0.00059 (93,678 delivered)');
    expect(cost).toHaveTextContent(
      'Built-in SMTP: $0.00000 (53,098 delivered)',
    );
    expect(cost).toHaveTextContent(
      `Total Cost This Month: $${api.analytics.cost.totalThisMonth.toFixed(2)}`,
    );

    const domains = screen.getByRole('list', { name: 'Top bouncing domains' });
    expect(
      within(domains)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'example.com - 234 bounces',
      'test.org - 156 bounces',
      'invalid.net - 89 bounces',
    ]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Export Bounce List' }),
    );
    await waitFor(() => expect(files).toHaveLength(1));
    expect(api.downloadBounceList).toHaveBeenCalledWith({ range: '7d' });
    expect(files[0].name).toBe('esp-bounces-2026-11-03-2026-12-02.csv');
  });

  it('says so when the bounce list cannot be exported', async () => {
    const api = new FakeEspApi();
    api.analytics = specView();
    api.downloadBounceList.mockRejectedValueOnce(
      await responseError(403, 'You may not read the bounce list'),
    );
    renderAnalytics({ api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export Bounce List' }, WAIT),
    );
    expect(await screen.findByRole('alert', {}, WAIT)).toHaveTextContent(
      'The bounce list could not be exported: You may not read the bounce list',
    );
  });

  it('says no mail was sent in an empty range and keeps the range selector usable', async () => {
    const api = new FakeEspApi();
    api.analytics = emptyView();
    renderAnalytics({ api });
    const empty = await screen.findByTestId('analytics-empty', {}, WAIT);
    expect(empty).toHaveTextContent('No email was sent in this range.');
    expect(empty).toHaveTextContent('traffic command');
    expect(screen.queryByTestId('analytics-card-sent')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Export CSV' }),
    ).not.toBeInTheDocument();

    api.analytics = specView();
    await userEvent.click(screen.getByRole('button', { name: 'Last 90 Days' }));
    expect(await table()).toBeInTheDocument();
    expect(lastQuery(api)).toEqual({ range: '90d' });
  });

  it('keeps the range in the URL, from the URL and through a change', async () => {
    const api = new FakeEspApi();
    api.analytics = specView();
    renderAnalytics({ api, url: '/?range=7d' });
    await table();
    expect(lastQuery(api)).toEqual({ range: '7d' });
    expect(pressed('Last 7 Days')).toBe('true');
    expect(pressed('Last 30 Days')).toBe('false');

    await userEvent.click(screen.getByRole('button', { name: 'Last 90 Days' }));
    await waitFor(() => expect(search()).toBe('?range=90d'));
    expect(pressed('Last 90 Days')).toBe('true');
    await waitFor(() => expect(lastQuery(api)).toEqual({ range: '90d' }));
  });

  it('validates a custom range before asking for it, then keeps it in the URL', async () => {
    const api = new FakeEspApi();
    api.analytics = specView();
    renderAnalytics({ api });
    await table();
    await userEvent.click(screen.getByRole('button', { name: 'Custom Range' }));
    const dialog = await screen.findByRole('dialog', {}, WAIT);
    const from = within(dialog).getByLabelText('From');
    const to = within(dialog).getByLabelText('To');
    // Seeded with the shown range.
    expect(from).toHaveValue('2026-11-03');
    expect(to).toHaveValue('2026-12-02');
    const apply = within(dialog).getByRole('button', { name: 'Apply' });

    await userEvent.clear(from);
    await userEvent.click(apply);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'Enter both a start and an end date.',
    );
    await userEvent.type(from, '2026-12-05');
    await userEvent.click(apply);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'The range ends before it starts.',
    );
    await userEvent.clear(from);
    await userEvent.type(from, '2025-11-30');
    await userEvent.click(apply);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'A range can span at most 366 days.',
    );
    const calls = api.getAnalytics.mock.calls.length;

    await userEvent.clear(from);
    await userEvent.type(from, '2026-11-01');
    await userEvent.clear(to);
    await userEvent.type(to, '2026-11-30');
    expect(api.getAnalytics.mock.calls).toHaveLength(calls);
    await userEvent.click(apply);
    await waitFor(() =>
      expect(search()).toBe('?from=2026-11-01&to=2026-11-30'),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), WAIT);
    expect(pressed('Custom Range')).toBe('true');
    expect(pressed('Last 30 Days')).toBe('false');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ from: '2026-11-01', to: '2026-11-30' }),
    );
  });

  it('reloads on a signal without losing the range or flashing the loading state, and keeps the figures when a refresh fails', async () => {
    const api = new FakeEspApi();
    const signals = new FakeSignals();
    api.analytics = specView();
    renderAnalytics({ api, signals, url: '/?range=7d' });
    await table();
    const before = api.getAnalytics.mock.calls.length;

    const more: AnalyticsView = analyticsViewOf(
      [
        ...SPEC_ROWS,
        { ...SPEC_ROWS[0], sent: 1000, delivered: 1000, bounced: 0 },
      ],
      { from: '2026-11-26', to: '2026-12-02' },
    );
    api.analytics = more;
    act(() => signals.publish('esp:analytics', { kind: 'analytics-updated' }));
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('analytics-card-sent')).toHaveTextContent(
        formatCount(more.totals.sent),
      ),
    );
    expect(api.getAnalytics.mock.calls.length).toBe(before + 1);
    expect(lastQuery(api)).toEqual({ range: '7d' });
    expect(search()).toBe('?range=7d');

    api.analytics = await responseError(503, 'The database is unavailable');
    act(() => signals.publish('esp:analytics', { kind: 'analytics-updated' }));
    expect(
      await screen.findByText(/Could not refresh the figures/, {}, WAIT),
    ).toHaveTextContent('The database is unavailable');
    expect(screen.getByTestId('analytics-card-sent')).toHaveTextContent(
      formatCount(more.totals.sent),
    );
  });

  it('offers a retry when the first load fails', async () => {
    const api = new FakeEspApi();
    api.analytics = await responseError(500, 'Rollups unavailable');
    renderAnalytics({ api });
    expect(
      await screen.findByText(/Could not load the analytics/, {}, WAIT),
    ).toBeInTheDocument();
    api.analytics = specView();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await table()).toBeInTheDocument();
  });

  it('exports the comparison table and the daily series as CSV, and the report as a PDF', async () => {
    const files = captureDownloads();
    const api = new FakeEspApi();
    const view = specView();
    api.analytics = view;
    renderAnalytics({ api });
    await table();

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(files[0].name).toBe('esp-analytics-2026-11-03-2026-12-02.csv');
    const lines = (await files[0].blob.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Provider,Sent,Delivered,Bounced,Bounce Rate (%),Opened,Open Rate (%),Clicked,Click Rate (%),Delivery Rate (%)',
    );
    const postmark = view.providers.find(p => p.providerId === 'postmark')!;
    expect(lines).toContain(
      [
        'Postmark',
        postmark.sent,
        postmark.delivered,
        postmark.bounced,
        (postmark.bounceRate! * 100).toFixed(2),
        postmark.opened,
        (postmark.openRate! * 100).toFixed(2),
        postmark.clicked,
        (postmark.clickRate! * 100).toFixed(2),
        (postmark.deliveryRate! * 100).toFixed(2),
      ].join(','),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Export Daily Series' }),
    );
    await waitFor(() => expect(files).toHaveLength(2));
    expect(files[1].name).toBe('esp-analytics-daily-2026-11-03-2026-12-02.csv');
    const series = (await files[1].blob.text()).trim().split('\r\n');
    expect(series).toHaveLength(1 + view.series.length);
    expect(series).toContain(
      '2026-12-01,Postmark,2617,2596,21,1176,317,99.20,0.80,45.30,12.21',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Export PDF' }));
    await waitFor(() => expect(files).toHaveLength(3), WAIT);
    expect(files[2].name).toBe('esp-analytics-2026-11-03-2026-12-02.pdf');
    const bytes = new Uint8Array(await files[2].blob.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  });
});
