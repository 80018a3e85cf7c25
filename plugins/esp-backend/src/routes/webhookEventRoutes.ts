import { NotFoundError } from '@backstage/errors';
import {
  espWebhookReadPermission,
  webhookEventQuerySchema,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import { toCsv, toCsvRows } from '../lib/csv';
import type { WebhookEventStore } from '../webhooks/WebhookEventStore';
import {
  WEBHOOK_EVENT_CSV_COLUMNS,
  webhookEventCsvRow,
  webhookEventListItem,
  webhookEventView,
} from '../webhooks/webhookEventViews';
import type { RequestContext } from './requestContext';

const CSV_PAGE = 500;

/** The webhook event log (admins with esp.webhook.read): list, one event, CSV export. */
export function createWebhookEventRoutes(options: {
  context: RequestContext;
  store: WebhookEventStore;
}) {
  const { context, store } = options;
  const router = Router();

  router.get('/webhooks/events', async (req, res) => {
    await context.authorize(req, espWebhookReadPermission);
    const query = context.parse(webhookEventQuerySchema, req.query);
    const page = await store.list(query);
    res.json({
      items: page.items.map(webhookEventListItem),
      nextCursor: page.nextCursor,
    });
  });

  // The filtered set (the same query), streamed page by page so that a long
  // log is never held in memory at once.
  router.get('/webhooks/events.csv', async (req, res) => {
    await context.authorize(req, espWebhookReadPermission);
    const {
      cursor: _ignored,
      limit: _all,
      ...filter
    } = context.parse(webhookEventQuerySchema, req.query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      'attachment; filename="webhook-events.csv"',
    );
    res.write(toCsv(WEBHOOK_EVENT_CSV_COLUMNS, []));
    let cursor: string | undefined;
    do {
      const page = await store.list({ ...filter, cursor, limit: CSV_PAGE });
      if (page.items.length > 0) {
        res.write(toCsvRows(page.items.map(webhookEventCsvRow)));
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    res.end();
  });

  router.get('/webhooks/events/:id', async (req, res) => {
    await context.authorize(req, espWebhookReadPermission);
    const event = await store.get(req.params.id);
    if (!event) {
      throw new NotFoundError(`No webhook event with id ${req.params.id}`);
    }
    res.json(webhookEventView(event));
  });

  return router;
}
