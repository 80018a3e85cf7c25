import { espStatusReadPermission } from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { ProviderStatusService } from '../services/ProviderStatusService';
import type { RequestContext } from './requestContext';

/**
 * The providers' status summary for the catalog and its entity card: read
 * only, and the one part of the API service principals may call.
 */
export function createStatusRoutes(options: {
  context: RequestContext;
  status: ProviderStatusService;
}) {
  const { context, status } = options;
  const router = Router();

  router.get('/status', async (req, res) => {
    await context.authorizeUserOrService(req, espStatusReadPermission);
    res.json({ providers: await status.list() });
  });

  router.get('/status/:providerId', async (req, res) => {
    await context.authorizeUserOrService(req, espStatusReadPermission);
    res.json(await status.get(req.params.providerId));
  });

  return router;
}
