import { NotFoundError } from '@backstage/errors';
import {
  espRoutingReadPermission,
  espRoutingUpdatePermission,
  RoutingConfigView,
  RoutingVolumeView,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { RoutingService } from '../services/RoutingService';
import type { RequestContext } from './requestContext';

/** What the audit record says a save or rollback made: the version, never the whole configuration. */
function savedVersion(view: RoutingConfigView) {
  return { version: view.version };
}

/** The routing page: the configuration, its versions, rollback and the dry run. */
export function createRoutingRoutes(options: {
  context: RequestContext;
  routing: RoutingService;
  /** The usage counters: the last 30 days' real volume for the cost estimate. */
  volume: { volumeLast30Days(): Promise<RoutingVolumeView> };
}) {
  const { context, routing } = options;
  const { authorize, actorOf, audited } = context;
  const router = Router();

  router.get('/routing', async (req, res) => {
    await authorize(req, espRoutingReadPermission);
    res.json(await routing.get());
  });

  router.get('/routing/volume', async (req, res) => {
    await authorize(req, espRoutingReadPermission);
    res.json(await options.volume.volumeLast30Days());
  });

  router.put('/routing', async (req, res) => {
    const credentials = await authorize(req, espRoutingUpdatePermission);
    const actor = await actorOf(credentials);
    const baseVersion = req.body?.baseVersion;
    const saved = await audited(
      req,
      'routing-update',
      { baseVersion: typeof baseVersion === 'number' ? baseVersion : null },
      () => routing.save(req.body, actor),
      savedVersion,
    );
    res.json(saved);
  });

  router.get('/routing/versions', async (req, res) => {
    await authorize(req, espRoutingReadPermission);
    res.json(await routing.versions());
  });

  router.post('/routing/versions/:version/rollback', async (req, res) => {
    const credentials = await authorize(req, espRoutingUpdatePermission);
    const { version } = req.params;
    if (!/^[1-9]\d{0,9}$/.test(version)) {
      throw new NotFoundError(`There is no routing version ${version}`);
    }
    const actor = await actorOf(credentials);
    res.json(
      await audited(
        req,
        'routing-rollback',
        { toVersion: Number(version) },
        () => routing.rollback(Number(version), actor),
        savedVersion,
      ),
    );
  });

  router.post('/routing/explain', async (req, res) => {
    await authorize(req, espRoutingReadPermission);
    res.json(await routing.explain(req.body));
  });

  return router;
}
