import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { WebhookEventType } from '@internal/plugin-esp-common';
import express from 'express';
import request from 'supertest';
import { jsonBody } from '../lib/jsonBody';
import type {
  StoredWebhookEvent,
  WebhookEventListQuery,
  WebhookEventPatch,
} from '../webhooks/WebhookEventStore';
import { MAX_REPLAY_EVENTS, WebhookReplay } from '../webhooks/WebhookReplay';
import { createRequestContext } from './requestContext';
import { createWebhookReplayRoutes } from './webhookReplayRoutes';

/**
 * The slice of the event store replay uses, over an array: the list's
 * filters (provider, type, status) and its newest-first cursor paging.
 */
class ArrayEventStore {
  constructor(readonly events: StoredWebhookEvent[]) {}

  async getMany(ids: string[]) {
    return this.events.filter(e => ids.includes(e.id));
  }

  async list(query: WebhookEventListQuery) {
    const matching = this.events
      .filter(
        e =>
          (!query.provider || e.provider === query.provider) &&
          (!query.type || e.type === query.type) &&
          (!query.status || e.status === query.status),
      )
      .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 50;
    const items = matching.slice(start, start + limit);
    const next = start + limit;
    return { items, nextCursor: next < matching.length ? String(next) : null };
  }

  async markResult(id: string, patch: WebhookEventPatch) {
    const found = this.events.find(e => e.id === id);
    if (!found) return false;
    found.status = patch.status;
    return true;
  }
}

function event(
  id: string,
  fields: Partial<StoredWebhookEvent> = {},
): StoredWebhookEvent {
  return {
    id,
    provider: 'mailgun',
    providerEventId: `p-${id}`,
    receivedAt: new Date(
      Date.UTC(2026, 11, 2, 10, 0, Number(id.slice(2)) || 0),
    ),
    status: 'processed',
    type: 'delivered' as WebhookEventType,
    email: 'ada@example.com',
    messageId: null,
    providerMessageId: null,
    details: null,
    occurredAt: null,
    payload: {},
    result: null,
    attempts: 1,
    ...fields,
  };
}

function setup(events: StoredWebhookEvent[], options: { deny?: boolean } = {}) {
  const store = new ArrayEventStore(events);
  const enqueued: string[][] = [];
  const auditEvent = { success: jest.fn(), fail: jest.fn() };
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async () => auditEvent),
  });
  const context = createRequestContext({
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    permissions: mockServices.permissions({
      result: options.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    }),
    auditor,
  });
  const replay = new WebhookReplay({
    events: store,
    enqueue: async ids => {
      enqueued.push(ids);
    },
  });
  const app = express()
    .use(jsonBody('64kb'))
    .use(createWebhookReplayRoutes({ context, replay }))
    .use(mockErrorHandler());
  const post = (body: unknown, header = mockCredentials.user.header()) =>
    request(app)
      .post('/webhooks/events/replay')
      .set('Authorization', header)
      .send(body as object);
  return { store, enqueued, post, auditor, auditEvent };
}

describe('POST /webhooks/events/replay', () => {
  it('sets the given events back to pending and enqueues them, skipping unknown ids', async () => {
    const { store, enqueued, post, auditor, auditEvent } = setup([
      event('e-1'),
      event('e-2', { status: 'failed' }),
    ]);
    const res = await post({ ids: ['e-1', 'e-2', 'e-1', 'nope'] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ queued: 2 });
    expect(enqueued.flat().sort()).toEqual(['e-1', 'e-2']);
    expect(store.events.map(e => e.status)).toEqual(['pending', 'pending']);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'webhook-replay' }),
    );
    expect(auditEvent.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({ queued: 2 }),
    });
  });

  it('replays a filtered set across pages, in jobs of at most 50 events', async () => {
    const failed = Array.from({ length: 260 }, (_, i) =>
      event(`f-${i}`, { status: 'failed' }),
    );
    const { enqueued, post } = setup([
      ...failed,
      event('e-1'),
      event('e-2', { provider: 'postmark', status: 'failed' }),
    ]);
    const res = await post({
      filter: { provider: 'mailgun', status: 'failed' },
    });
    expect(res.body).toEqual({ queued: 260 });
    expect(enqueued.every(job => job.length <= 50)).toBe(true);
    expect(new Set(enqueued.flat())).toEqual(new Set(failed.map(e => e.id)));
  });

  it('refuses a filter matching more than it replays at once', async () => {
    const many = Array.from({ length: MAX_REPLAY_EVENTS + 1 }, (_, i) =>
      event(`m-${i}`),
    );
    const { enqueued, post, store } = setup(many);
    const res = await post({ filter: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('narrow it');
    expect(enqueued).toEqual([]);
    expect(store.events.every(e => e.status === 'processed')).toBe(true);
  });

  it.each([
    [{}, 'Give either ids or a filter'],
    [{ ids: ['a'], filter: {} }, 'Give either ids or a filter'],
    [{ ids: [] }, 'Ids needs at least 1'],
    [{ filter: { type: 'bogus' } }, 'Type must be one of delivered'],
    [{ ids: ['a'], extra: 1 }, 'extra'],
  ])('answers 400 for %j', async (body, message) => {
    const { post, enqueued } = setup([event('a')]);
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(enqueued).toEqual([]);
  });

  it('is for users with esp.webhook.manage only', async () => {
    const denied = setup([event('a')], { deny: true });
    expect((await denied.post({ ids: ['a'] })).status).toBe(403);
    const anonymous = setup([event('a')]);
    expect(
      (await anonymous.post({ ids: ['a'] }, mockCredentials.none.header()))
        .status,
    ).toBe(401);
    const service = setup([event('a')]);
    expect(
      (await service.post({ ids: ['a'] }, mockCredentials.service.header()))
        .status,
    ).toBe(403);
    expect(denied.enqueued).toEqual([]);
    expect(service.enqueued).toEqual([]);
  });
});
