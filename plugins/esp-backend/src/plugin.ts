import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { espPermissions } from '@internal/plugin-esp-common';
import express from 'express';
import Router from 'express-promise-router';

/**
 * ESP Hub backend plugin.
 * @public
 */
export const espPlugin = createBackendPlugin({
  pluginId: 'esp',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpRouter, permissionsRegistry }) {
        permissionsRegistry.addPermissions(espPermissions);
        const router = Router();
        router.use(express.json());
        router.get('/health', (_req, res) => {
          res.json({ status: 'ok' });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
