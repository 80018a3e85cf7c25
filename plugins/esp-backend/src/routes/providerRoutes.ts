import {
  credentialCheckInputSchema,
  espProviderReadPermission,
  espProviderUpdatePermission,
  providerEnabledInputSchema,
  testEmailInputSchema,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { ProviderConfigService } from '../services/ProviderConfigService';
import type { ProviderOperations } from '../services/ProviderOperations';
import type { RequestContext } from './requestContext';

/**
 * The overview and each provider's page: configuration, the live checks, the
 * enable toggle, message streams and test emails.
 */
export function createProviderRoutes(options: {
  context: RequestContext;
  configs: ProviderConfigService;
  operations: ProviderOperations;
}) {
  const { context, configs, operations } = options;
  const { authorize, actorOf, parse, audited, providerIdOf } = context;
  const router = Router();

  router.get('/providers', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json({ providers: await configs.listSummaries() });
  });

  router.get('/providers/:providerId', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json(await configs.getConfig(providerIdOf(req)));
  });

  router.post('/providers/:providerId', async (req, res) => {
    const credentials = await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const input = parse(configs.inputSchemaOf(providerId), req.body);
    const meta = {
      providerId,
      secrets: configs.secretChangesOf(providerId, input),
    };
    const actor = await actorOf(credentials);
    res.json(
      await audited(req, 'provider-config-update', meta, () =>
        configs.saveConfig(providerId, input, actor),
      ),
    );
  });

  router.post(
    '/providers/:providerId/credentials/validate',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const { apiKey } = parse(credentialCheckInputSchema, req.body);
      res.json(await configs.validateCredentials(providerId, apiKey));
    },
  );

  router.post('/providers/:providerId/test', async (req, res) => {
    await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    res.json(
      await audited(req, 'provider-connection-test', { providerId }, () =>
        configs.testConnection(providerId),
      ),
    );
  });

  router.put('/providers/:providerId/enabled', async (req, res) => {
    const credentials = await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const { enabled } = parse(providerEnabledInputSchema, req.body);
    const actor = await actorOf(credentials);
    res.json(
      await audited(req, 'provider-enable', { providerId, enabled }, () =>
        configs.setEnabled(providerId, enabled, actor),
      ),
    );
  });

  router.get('/providers/:providerId/message-streams', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json({
      streams: await operations.listMessageStreams(providerIdOf(req)),
    });
  });

  router.post('/providers/:providerId/test-email', async (req, res) => {
    await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const input = parse(testEmailInputSchema, req.body);
    // The recipient is personal data the admin typed in; the audit log only needs its domain.
    const meta = {
      providerId,
      recipientDomain: input.to.split('@').pop() ?? '',
    };
    res.json(
      await audited(req, 'test-email', meta, () =>
        operations.sendTestEmail(providerId, input),
      ),
    );
  });

  return router;
}
