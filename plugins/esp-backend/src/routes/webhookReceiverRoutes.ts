import { WEBHOOK_PROVIDER_IDS } from '@internal/plugin-esp-common';
import express, { RequestHandler } from 'express';
import Router from 'express-promise-router';
import type { WebhookReceiver } from '../webhooks/WebhookReceiver';

/** One provider event is a few kB; Postmark's largest (a bounce with its dump) stays far below. */
export const WEBHOOK_BODY_LIMIT = '1mb';

/**
 * The raw bytes, whatever the content type (the HMAC is over what Mailgun
 * sent, not over a re-serialisation); 413 with a sentence beyond the limit.
 */
function rawBody(limit: string): RequestHandler {
  const parse = express.raw({ type: '*/*', limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        res.status(413).json({
          error: `The webhook body is larger than the ${limit} the receiver accepts`,
        });
        return undefined;
      }
      res.status(400).json({ error: 'The webhook body could not be read' });
      return undefined;
    });
}

function headersOf(req: express.Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  return headers;
}

/**
 * `POST /webhooks/postmark` and `POST /webhooks/mailgun`, the only routes
 * without Backstage auth (the plugin's auth policy names these two paths):
 * the receiver verifies the provider instead. Mounted before any JSON parser,
 * which would consume the body. `req.ip` is the client only when Express's
 * `trust proxy` matches the load balancers in front (see docs/api.md).
 */
export function createWebhookReceiverRoutes(options: {
  receiver: WebhookReceiver;
}) {
  const router = Router();
  for (const provider of WEBHOOK_PROVIDER_IDS) {
    router.post(
      `/webhooks/${provider}`,
      rawBody(WEBHOOK_BODY_LIMIT),
      async (req, res) => {
        const answer = await options.receiver.receive(provider, {
          rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          headers: headersOf(req),
          ip: req.ip,
        });
        res.status(answer.status).json(answer.body);
      },
    );
  }
  return router;
}
