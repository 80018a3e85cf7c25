import {
  espMessageManagePermission,
  espMessageReadPermission,
  espMessageSendPermission,
  espSuppressionManagePermission,
  markSentInputSchema,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { ManualSettlement } from '../services/messages/ManualSettlement';
import type { MessageService } from '../services/messages/MessageService';
import type { RequestContext } from './requestContext';

/**
 * Attachments of up to 10 MB travel base64 encoded (4/3 of their size) next
 * to the bodies of up to 500 messages: the one route with a body this large.
 */
export const SEND_BODY_LIMIT = '16mb';

/**
 * The send API (for services and users; see requestContext.authorizeSender),
 * a message's status, and the suppression list's manual side (admins only).
 */
export function createMessageRoutes(options: {
  context: RequestContext;
  messages: MessageService;
  settlement?: ManualSettlement;
}) {
  const { context, messages, settlement } = options;
  const { authorize, authorizeSender, actorOf, audited, parse } = context;
  const router = Router();

  // By hand, for a message whose outcome is unknown once the admin checked
  // with the provider (admins only, audited): send it again, or mark it sent.
  if (settlement) {
    router.post('/messages/:id/resend', async (req, res) => {
      const credentials = await authorize(req, espMessageManagePermission);
      const actor = await actorOf(credentials);
      const messageId = req.params.id;
      res.json(
        await audited(req, 'message-resend', { messageId }, () =>
          settlement.resend(messageId, actor),
        ),
      );
    });

    router.post('/messages/:id/mark-sent', async (req, res) => {
      const credentials = await authorize(req, espMessageManagePermission);
      const actor = await actorOf(credentials);
      const input = parse(markSentInputSchema, req.body);
      const messageId = req.params.id;
      res.json(
        await audited(
          req,
          'message-mark-sent',
          { messageId, providerMessageId: input.providerMessageId ?? null },
          () => settlement.markSent(messageId, input, actor),
        ),
      );
    });
  }

  // The body is parsed by createRouter with SEND_BODY_LIMIT, ahead of the
  // smaller limit every other route has.
  router.post('/messages', async (req, res) => {
    const caller = await authorizeSender(req, espMessageSendPermission);
    const result = await messages.accept(
      req.body,
      { ref: caller },
      req.header('idempotency-key') ?? undefined,
    );
    res.status(202).json(result);
  });

  // The message list is for admins (users only), unlike a message's status.
  router.get('/messages', async (req, res) => {
    await authorize(req, espMessageReadPermission);
    res.json(await messages.list(req.query));
  });

  router.get('/messages/:id', async (req, res) => {
    await authorizeSender(req, espMessageReadPermission);
    res.json(await messages.get(req.params.id));
  });

  router.get('/suppressions', async (req, res) => {
    await authorize(req, espSuppressionManagePermission);
    res.json(await messages.listSuppressions(req.query));
  });

  // The list's export, with each entry's provenance (search as `q`).
  router.get('/suppressions.csv', async (req, res) => {
    await authorize(req, espSuppressionManagePermission);
    const csv = await messages.suppressionsCsv(req.query);
    res.type('text/csv').attachment('suppressions.csv').send(csv);
  });

  router.post('/suppressions', async (req, res) => {
    const credentials = await authorize(req, espSuppressionManagePermission);
    const actor = await actorOf(credentials);
    const address = String(req.body?.address ?? '');
    const added = await audited(req, 'suppression-add', { address }, () =>
      messages.suppress(req.body, actor),
    );
    res.status(201).json(added);
  });

  router.delete('/suppressions/:address', async (req, res) => {
    await authorize(req, espSuppressionManagePermission);
    const { address } = req.params;
    await audited(req, 'suppression-remove', { address }, () =>
      messages.unsuppress(address),
    );
    res.status(204).end();
  });

  return router;
}
