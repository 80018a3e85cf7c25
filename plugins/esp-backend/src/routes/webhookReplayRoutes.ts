import {
  espWebhookManagePermission,
  webhookReplayInputSchema,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { WebhookReplay } from '../webhooks/WebhookReplay';
import type { RequestContext } from './requestContext';

/**
 * `POST /webhooks/events/replay` (esp.webhook.manage, users only, audited):
 * re-runs processing of stored events, given by id or by a filter.
 */
export function createWebhookReplayRoutes(options: {
  context: RequestContext;
  replay: WebhookReplay;
}) {
  const { context, replay } = options;
  const router = Router();

  router.post('/webhooks/events/replay', async (req, res) => {
    await context.authorize(req, espWebhookManagePermission);
    const input = context.parse(webhookReplayInputSchema, req.body);
    const result = await context.audited(
      req,
      'webhook-replay',
      input.ids
        ? { ids: input.ids.length }
        : { filter: JSON.stringify(input.filter ?? {}) },
      () => replay.replay(input),
      outcome => ({ queued: outcome.queued }),
    );
    res.status(202).json(result);
  });

  return router;
}
