import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { MessageListItem, MessageView } from '@internal/plugin-esp-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import { rootRouteRef } from '../../routes';
import { MessagesPage } from './MessagesPage';

const BASE = '/dashboard/settings/integrations/esp';
const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

const item = (
  id: string,
  overrides: Partial<MessageListItem> = {},
): MessageListItem => ({
  id,
  status: 'sent',
  emailType: 'transactional',
  customType: null,
  subject: `Subject ${id}`,
  to: [`${id}@example.com`],
  provider: 'postmark',
  providerMessageId: `pm-${id}`,
  reason: null,
  attemptCount: 1,
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:01.000Z',
  ...overrides,
});

async function renderMessages(api: FakeEspApi) {
  renderInTestApp(<MessagesPage />, {
    apis: [[espApiRef, api], mockApis.permission()],
    mountedRoutes: { [BASE]: rootRouteRef },
  });
  await waitFor(() => expect(api.listMessages).toHaveBeenCalled(), WAIT);
}

const table = () => screen.findByRole('table', { name: 'Messages' }, WAIT);
const lastQuery = (api: FakeEspApi) =>
  api.listMessages.mock.calls[api.listMessages.mock.calls.length - 1][0];

describe('MessagesPage', () => {
  it('shows "No messages yet" with how to send one, and a failed load with Retry', async () => {
    const api = new FakeEspApi();
    api.listMessages.mockRejectedValueOnce(
      await responseError(500, 'The database is away'),
    );
    await renderMessages(api);
    expect(
      await screen.findByText('The database is away', {}, WAIT),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    const empty = await screen.findByRole(
      'region',
      { name: 'No messages yet' },
      WAIT,
    );
    expect(empty).toHaveTextContent('POST /api/esp/messages');
    expect(empty).toHaveTextContent('curl -X POST');
  });

  it('lists messages with status labels, sends search and filters to the API, and pages with Load more', async () => {
    const api = new FakeEspApi();
    api.messages = [
      item('m0'),
      item('m1'),
      item('m2', { status: 'unknown', provider: 'mailgun', to: ['x@y.com'] }),
    ];
    // A first page of two (the page size is 50; fewer rows keep this fast).
    api.listMessages.mockResolvedValueOnce({
      items: api.messages.slice(0, 2),
      nextCursor: '2',
    });
    await renderMessages(api);
    const rows = within(await table()).getAllByRole('row');
    expect(rows).toHaveLength(3); // the header and 2
    expect(rows[1]).toHaveTextContent('Sent');
    expect(rows[1]).toHaveTextContent('m0@example.com');
    expect(rows[1]).toHaveTextContent('Postmark');
    expect(lastQuery(api)).toEqual({ limit: 50 });

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table')).getAllByRole('row'),
      ).toHaveLength(4),
    );
    expect(lastQuery(api)).toEqual({ limit: 50, cursor: '2' });
    expect(screen.getByText('x@y.com').closest('tr')).toHaveTextContent(
      'Unknown',
    );
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();

    await userEvent.type(
      screen.getByLabelText('Recipient or message ID'),
      'x@y',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({ q: 'x@y', limit: 50 }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'Unknown' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Failed' }));
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Provider' }),
      'Postmark',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Email type' }),
      'Transactional',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Time range' }),
      'Last 24 hours',
    );
    await waitFor(() =>
      expect(lastQuery(api)).toEqual({
        q: 'x@y',
        status: ['unknown', 'failed'],
        provider: 'postmark',
        emailType: 'transactional',
        from: expect.any(String),
        limit: 50,
      }),
    );
    const from = Date.parse(lastQuery(api).from!);
    expect(Date.now() - from).toBeGreaterThanOrEqual(24 * 3600_000 - 1);
    expect(Date.now() - from).toBeLessThan(24 * 3600_000 + 60_000);
    expect(
      await screen.findByText('No messages match these filters.', {}, WAIT),
    ).toBeInTheDocument();

    // Refresh and regaining focus load again.
    const calls = api.listMessages.mock.calls.length;
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    window.dispatchEvent(new Event('focus'));
    await waitFor(() =>
      expect(api.listMessages.mock.calls.length).toBe(calls + 2),
    );
  });

  it('opens searched for the ?q= a link carries (the webhook event viewer links messages so)', async () => {
    const api = new FakeEspApi();
    api.messages = [item('m0'), item('m1')];
    renderInTestApp(<MessagesPage />, {
      apis: [[espApiRef, api], mockApis.permission()],
      mountedRoutes: { [BASE]: rootRouteRef },
      initialRouteEntries: [`${BASE}/messages?q=m1`],
    });
    await waitFor(
      () =>
        expect(api.listMessages).toHaveBeenCalledWith({ q: 'm1', limit: 50 }),
      WAIT,
    );
    expect(screen.getByLabelText('Recipient or message ID')).toHaveValue('m1');
    expect(within(await table()).getAllByRole('row')).toHaveLength(2);
  });

  const unknownMessage = (): MessageView => ({
    id: 'm-1',
    status: 'unknown',
    emailType: 'transactional',
    provider: 'postmark',
    providerMessageId: null,
    reason: 'Postmark did not answer in time',
    attempts: [
      {
        provider: 'mailgun',
        startedAt: '2026-12-02T10:00:00.000Z',
        durationMs: 120,
        outcome: 'failed',
        errorClass: 'provider_5xx',
        error: 'Service Unavailable',
      },
      {
        provider: 'postmark',
        startedAt: '2026-12-02T10:00:01.000Z',
        durationMs: 30000,
        outcome: 'unknown',
        errorClass: 'timeout',
        error: null,
      },
    ],
    trace: {
      provider: 'mailgun',
      chain: ['postmark'],
      trace: [
        { kind: 'rule_matched', message: 'Rule 1 (Transactional) matched' },
        { kind: 'chain', message: 'Failover: Postmark' },
      ],
    },
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:00:31.000Z',
  });

  async function openUnknown(api: FakeEspApi) {
    api.messages = [item('m-1', { status: 'unknown', attemptCount: 2 })];
    api.messageDetails = { 'm-1': unknownMessage() };
    await renderMessages(api);
    await table();
    await userEvent.click(
      screen.getByRole('button', { name: 'View message m-1' }),
    );
    return screen.findByRole('dialog', { name: 'Message details' }, WAIT);
  }

  it('opens a drawer with the fields, every attempt and the routing trace in words', async () => {
    const api = new FakeEspApi();
    const drawer = await openUnknown(api);
    const fields = await within(drawer).findByLabelText(
      'Message fields',
      {},
      WAIT,
    );
    expect(fields).toHaveTextContent('Postmark did not answer in time');
    expect(fields).toHaveTextContent('m-1@example.com');
    const attempts = within(
      within(drawer).getByRole('table', { name: 'Attempts' }),
    ).getAllByRole('row');
    expect(attempts[1]).toHaveTextContent('Mailgun');
    expect(attempts[1]).toHaveTextContent('120 ms');
    expect(attempts[1]).toHaveTextContent('provider_5xx: Service Unavailable');
    expect(attempts[2]).toHaveTextContent('Unknown');
    expect(attempts[2]).toHaveTextContent('timeout');
    const routing = within(drawer).getByRole('region', { name: 'Routing' });
    expect(routing).toHaveTextContent('Routed to Mailgun');
    expect(routing).toHaveTextContent('If it fails: Postmark');
    expect(
      within(within(routing).getByRole('list', { name: 'Routing trace' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['Rule 1 (Transactional) matched', 'Failover: Postmark']);

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close message details' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Message details' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('resends an unknown message after asking, and reloads the drawer and the list', async () => {
    const api = new FakeEspApi();
    const drawer = await openUnknown(api);
    await userEvent.click(
      await within(drawer).findByRole('button', { name: 'Resend' }, WAIT),
    );
    const confirm = await screen.findByRole('dialog', {
      name: 'Resend this message?',
    });
    const listCalls = api.listMessages.mock.calls.length;
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Resend' }),
    );
    expect(api.resendMessage).toHaveBeenCalledWith('m-1');
    await waitFor(() =>
      expect(api.listMessages.mock.calls.length).toBeGreaterThan(listCalls),
    );
    await waitFor(() =>
      expect(
        within(screen.getByLabelText('Message fields')).getByText('Queued'),
      ).toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('button', { name: 'Mark as sent' }),
    ).not.toBeInTheDocument();
  });

  it('marks an unknown message sent with the provider message id, and shows a 409 when someone settled it first', async () => {
    const api = new FakeEspApi();
    const drawer = await openUnknown(api);
    await userEvent.click(
      await within(drawer).findByRole('button', { name: 'Mark as sent' }, WAIT),
    );
    let confirm = await screen.findByRole('dialog', {
      name: 'Mark this message as sent?',
    });
    await userEvent.type(
      within(confirm).getByLabelText(/Provider message ID/),
      'pm-77',
    );
    // Someone else resent it meanwhile: the backend answers 409.
    api.markMessageSent.mockRejectedValueOnce(
      await responseError(
        409,
        'Message m-1 is queued: only a message whose outcome is unknown can be resent or marked sent.',
      ),
    );
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Mark as sent' }),
    );
    expect(api.markMessageSent).toHaveBeenCalledWith('m-1', {
      providerMessageId: 'pm-77',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Message m-1 is queued',
    );

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Mark as sent' }),
    );
    confirm = await screen.findByRole('dialog', {
      name: 'Mark this message as sent?',
    });
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Mark as sent' }),
    );
    expect(api.markMessageSent).toHaveBeenLastCalledWith('m-1', {});
    await waitFor(() =>
      expect(
        within(screen.getByLabelText('Message fields')).getByText('Sent'),
      ).toBeInTheDocument(),
    );
  });
});
