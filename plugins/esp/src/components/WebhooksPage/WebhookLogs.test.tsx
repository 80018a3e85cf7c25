import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WEBHOOK_EVENTS_SIGNAL_CHANNEL } from '@internal/plugin-esp-common';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import {
  captureDownloads,
  FakeSignals,
  renderWebhooks,
} from '../../__testUtils__/renderWebhooks';
import { eventItem, eventView } from '../../__testUtils__/webhookFixtures';
import { WebhookLogs } from './WebhookLogs';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

const table = () => screen.findByRole('table', { name: 'Recent Events' }, WAIT);
const lastQuery = (api: FakeEspApi) =>
  api.listWebhookEvents.mock.calls[
    api.listWebhookEvents.mock.calls.length - 1
  ][0];

describe('WebhookLogs', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says what to do when there are no events, and shows a failed load with Retry', async () => {
    const api = new FakeEspApi();
    api.listWebhookEvents.mockRejectedValueOnce(
      await responseError(500, 'The database is away'),
    );
    renderWebhooks(<WebhookLogs />, { api, signals: new FakeSignals() });
    expect(
      await screen.findByText('The database is away', {}, WAIT),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'No events yet' }, WAIT),
    ).toHaveTextContent(
      "No events yet. Send a test event or wait for your provider's first delivery.",
    );
  });

  it('lists events with the spec’s columns, sends filters and the debounced search to the server, pages, and exports the filtered set', async () => {
    const user = userEvent.setup();
    const files = captureDownloads();
    const api = new FakeEspApi();
    api.events = [
      eventItem('e0'),
      eventItem('e1', {
        provider: 'mailgun',
        type: 'opened',
        details: 'Opened on mobile',
      }),
      eventItem('e2', {
        type: 'bounced',
        email: 'invalid@test.com',
        details: 'User unknown',
        status: 'failed',
      }),
    ];
    api.listWebhookEvents.mockResolvedValueOnce({
      items: api.events.slice(0, 2),
      nextCursor: '2',
    });
    renderWebhooks(<WebhookLogs />, { api, signals: new FakeSignals() });
    const rows = within(await table()).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringContaining('TimestampProviderEvent TypeEmailStatusDetails'),
      expect.stringContaining(
        'PostmarkDeliverye0@example.comProcessedDelivered in 1.2s',
      ),
      expect.stringContaining(
        'MailgunOpene1@example.comProcessedOpened on mobile',
      ),
    ]);
    expect(lastQuery(api)).toEqual({ limit: 50 });

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table')).getAllByRole('row'),
      ).toHaveLength(4),
    );
    expect(lastQuery(api)).toEqual({ limit: 50, cursor: '2' });
    const bounceRow = screen.getByText('invalid@test.com').closest('tr');
    expect(bounceRow).toHaveTextContent('Hard Bounce');
    expect(bounceRow).toHaveTextContent('FailedUser unknown');

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Provider' }),
      'Postmark',
    );
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Event type' }),
      'Hard Bounce',
    );
    const from = screen.getByLabelText('From');
    await user.type(from, '2026-12-01T08:00');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        provider: 'postmark',
        type: 'bounced',
        from: new Date('2026-12-01T08:00').toISOString(),
        limit: 50,
      }),
    );
    const calls = api.listWebhookEvents.mock.calls.length;
    await user.type(
      screen.getByLabelText('Email or message ID'),
      'invalid@test.com',
    );
    // One request once typing pauses, not one per key.
    await waitFor(() =>
      expect(lastQuery(api)).toEqual(
        expect.objectContaining({ q: 'invalid@test.com' }),
      ),
    );
    expect(api.listWebhookEvents.mock.calls.length).toBe(calls + 1);
    expect(within(await table()).getAllByRole('row')).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(api.exportWebhookEventsCsv).toHaveBeenCalledWith({
      provider: 'postmark',
      type: 'bounced',
      from: new Date('2026-12-01T08:00').toISOString(),
      q: 'invalid@test.com',
    });
    expect(files[0].name).toMatch(/^webhook-events-\d{4}-\d\d-\d\d\.csv$/);
    expect(await files[0].blob.text()).toBe('id,provider\n');
  });

  it('shows new events as the backend signals them', async () => {
    const api = new FakeEspApi();
    const signals = new FakeSignals();
    api.events = [eventItem('e0')];
    renderWebhooks(<WebhookLogs />, { api, signals });
    expect(within(await table()).getAllByRole('row')).toHaveLength(2);
    await waitFor(() =>
      expect(signals.subscribers(WEBHOOK_EVENTS_SIGNAL_CHANNEL)).toBe(1),
    );
    api.events = [
      eventItem('new', { email: 'fresh@example.com' }),
      ...api.events,
    ];
    act(() =>
      signals.publish(WEBHOOK_EVENTS_SIGNAL_CHANNEL, { provider: 'postmark' }),
    );
    expect(
      await screen.findByText('fresh@example.com', {}, WAIT),
    ).toBeInTheDocument();
  });

  it('polls every 15 seconds where signals are not installed', async () => {
    jest.useFakeTimers();
    try {
      const api = new FakeEspApi();
      renderWebhooks(<WebhookLogs />, { api });
      await waitFor(() => expect(api.listWebhookEvents).toHaveBeenCalled());
      const calls = api.listWebhookEvents.mock.calls.length;
      await act(async () => {
        jest.advanceTimersByTime(15_000);
      });
      await waitFor(() =>
        expect(api.listWebhookEvents.mock.calls.length).toBe(calls + 1),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('opens the event viewer with payload, result, attempts and the linked message, and replays one event and the filtered set', async () => {
    const user = userEvent.setup();
    const api = new FakeEspApi();
    const item = eventItem('e0');
    api.events = [item, eventItem('e1')];
    api.eventDetails.e0 = eventView(item, {
      attempts: 2,
      result: { error: 'Message store timed out' },
      status: 'failed',
    });
    renderWebhooks(<WebhookLogs />, { api, signals: new FakeSignals() });
    await table();
    await user.click(
      screen.getByRole('button', { name: 'View full log of event e0' }),
    );
    const viewer = await screen.findByRole('dialog', { name: 'Webhook event' });
    const fields = await within(viewer).findByLabelText('Event fields');
    expect(fields).toHaveTextContent('Processing attempts2');
    expect(fields).toHaveTextContent('Failed');
    expect(
      within(viewer).getByRole('link', { name: /Open message msg-e0/ }),
    ).toHaveAttribute(
      'href',
      '/dashboard/settings/integrations/esp/messages?q=msg-e0',
    );
    expect(within(viewer).getByLabelText('Raw payload')).toHaveTextContent(
      '"MessageID": "pm-e0"',
    );
    expect(
      within(viewer).getByLabelText('Processing result'),
    ).toHaveTextContent('"error": "Message store timed out"');
    await user.click(within(viewer).getByRole('button', { name: 'Replay' }));
    await waitFor(() =>
      expect(api.replayWebhookEvents).toHaveBeenCalledWith({ ids: ['e0'] }),
    );
    expect(
      await within(viewer).findByText('Queued for processing again.'),
    ).toBeInTheDocument();
    await user.click(
      within(viewer).getByRole('button', { name: 'Close event viewer' }),
    );

    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Provider' }),
      'Postmark',
    );
    await user.click(screen.getByRole('button', { name: 'Replay filtered' }));
    const confirm = await screen.findByRole('dialog', {
      name: 'Replay the filtered events?',
    });
    expect(confirm).toHaveTextContent(
      'Every stored event matching the current filters',
    );
    await user.click(
      within(confirm).getByRole('button', { name: 'Replay events' }),
    );
    await waitFor(() =>
      expect(api.replayWebhookEvents).toHaveBeenLastCalledWith({
        filter: { provider: 'postmark' },
      }),
    );
    expect(
      await screen.findByText('Queued 2 events for processing again.'),
    ).toBeInTheDocument();
  });
});
