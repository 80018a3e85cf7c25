import { InputError, NotFoundError } from '@backstage/errors';
import {
  espWebhookManagePermission,
  espWebhookReadPermission,
  WEBHOOK_PROVIDER_IDS,
  webhookSubscriptionsInputSchema,
  webhookTestInputSchema,
  WebhookProviderId,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { Request } from 'express';
import { z } from 'zod';
import { FIREWALL_FORMATS, firewallRules } from '../webhooks/firewallRules';
import type { WebhookSettingsService } from '../webhooks/WebhookSettingsService';
import type { WebhookSettingsConfig } from '../webhooks/webhookSettingsConfig';
import type { WebhookTester } from '../webhooks/WebhookTester';
import type { RequestContext } from './requestContext';

const signingKeyInputSchema = z
  .object({ signingKey: z.string().trim().min(8).max(200) })
  .strict();

function providerOf(req: Request): WebhookProviderId {
  const { provider } = req.params;
  if (!(WEBHOOK_PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw new NotFoundError(`No webhooks for provider '${provider}'`);
  }
  return provider as WebhookProviderId;
}

/**
 * The webhooks page's settings: the endpoints view, subscriptions (saved and
 * registered at the provider), the audited reveal of Postmark's credentials,
 * firewall rules for the allowlist, and Mailgun's signing key.
 */
export function createWebhookSettingsRoutes(options: {
  context: RequestContext;
  webhookSettings: WebhookSettingsService;
  config: Pick<WebhookSettingsConfig, 'postmarkIpAllowlist' | 'listenPort'>;
  /** The test-webhook action; not served without it. */
  tester?: WebhookTester;
}) {
  const { context, webhookSettings, config } = options;
  const { authorize, actorOf, audited, parse } = context;
  const router = Router();

  router.get('/webhooks/endpoints', async (req, res) => {
    await authorize(req, espWebhookReadPermission);
    res.json({ items: await webhookSettings.endpoints() });
  });

  router.put('/webhooks/:provider/subscriptions', async (req, res) => {
    const credentials = await authorize(req, espWebhookManagePermission);
    const provider = providerOf(req);
    const { subscriptions } = parse(webhookSubscriptionsInputSchema, req.body);
    const actor = await actorOf(credentials);
    res.json(
      await audited(
        req,
        'webhook-subscriptions-update',
        { provider, subscriptions },
        () => webhookSettings.saveSubscriptions(provider, subscriptions, actor),
        view => ({
          registered: view.registeredAt !== null,
          registrationError: view.registrationError,
        }),
      ),
    );
  });

  router.post('/webhooks/postmark/reveal', async (req, res) => {
    await authorize(req, espWebhookManagePermission);
    // The record says that it was revealed and to whom, never what.
    res.json(
      await audited(
        req,
        'webhook-credentials-reveal',
        { provider: 'postmark' },
        () => webhookSettings.revealPostmarkUrl(),
      ),
    );
  });

  router.get('/webhooks/firewall-rules', async (req, res) => {
    await authorize(req, espWebhookReadPermission);
    const format = String(req.query.format ?? 'nftables');
    if (!(FIREWALL_FORMATS as readonly string[]).includes(format)) {
      throw new InputError(
        `format must be one of ${FIREWALL_FORMATS.join(', ')}`,
      );
    }
    const { ranges } = config.postmarkIpAllowlist;
    if (ranges.length === 0) {
      throw new InputError(
        'No webhook source ranges are configured (esp.webhooks.postmark.ipAllowlist.ranges)',
      );
    }
    res.json({
      format,
      rules: firewallRules(format as (typeof FIREWALL_FORMATS)[number], {
        ranges,
        port: config.listenPort,
        comment:
          "ESP Hub: only Postmark's webhook addresses reach the backend's port (Mailgun publishes none; its requests are verified by signature)",
      }),
    });
  });

  router.put('/providers/mailgun/webhook-signing-key', async (req, res) => {
    const credentials = await authorize(req, espWebhookManagePermission);
    const { signingKey } = parse(signingKeyInputSchema, req.body);
    const actor = await actorOf(credentials);
    await audited(
      req,
      'webhook-signing-key-update',
      { provider: 'mailgun', source: 'pasted' },
      () => webhookSettings.saveMailgunSigningKey(signingKey, actor),
    );
    res.json(await webhookSettings.endpoint('mailgun'));
  });

  router.post(
    '/providers/mailgun/webhook-signing-key/fetch',
    async (req, res) => {
      const credentials = await authorize(req, espWebhookManagePermission);
      const actor = await actorOf(credentials);
      await audited(
        req,
        'webhook-signing-key-update',
        { provider: 'mailgun', source: 'fetched' },
        () => webhookSettings.fetchMailgunSigningKey(actor),
      );
      res.json(await webhookSettings.endpoint('mailgun'));
    },
  );

  const { tester } = options;
  if (tester) {
    router.post('/webhooks/test', async (req, res) => {
      await authorize(req, espWebhookManagePermission);
      const input = parse(webhookTestInputSchema, req.body);
      res.json(
        await audited(
          req,
          'webhook-test',
          { ...input },
          () => tester.send(input),
          result => ({ httpStatus: result.httpStatus }),
        ),
      );
    });
  }

  return router;
}
