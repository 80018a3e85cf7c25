import express from 'express';
import Router from 'express-promise-router';
import { jsonBody } from '../lib/jsonBody';
import { passOnRetryAfter } from '../lib/TooManyRequestsError';
import type { ProviderConfigService } from '../services/ProviderConfigService';
import type { ProviderOperations } from '../services/ProviderOperations';
import type { ProviderStatusService } from '../services/ProviderStatusService';
import type { ManualSettlement } from '../services/messages/ManualSettlement';
import type { MessageService } from '../services/messages/MessageService';
import type { RoutingService } from '../services/RoutingService';
import type { UsageCounters } from '../health/UsageCounters';
import type { AddressValidationJobs } from '../services/validation/AddressValidationJobs';
import { createAddressValidationRoutes } from './addressValidationRoutes';
import { createDomainRoutes } from './domainRoutes';
import { createMessageRoutes, SEND_BODY_LIMIT } from './messageRoutes';
import { createProviderRoutes } from './providerRoutes';
import { createRequestContext, RequestContextOptions } from './requestContext';
import { createStatusRoutes } from './statusRoutes';
import { createRoutingRoutes } from './routingRoutes';
import type { WebhookEventStore } from '../webhooks/WebhookEventStore';
import type { WebhookReceiver } from '../webhooks/WebhookReceiver';
import { createWebhookEventRoutes } from './webhookEventRoutes';
import { createWebhookReceiverRoutes } from './webhookReceiverRoutes';
import { createWebhookReplayRoutes } from './webhookReplayRoutes';
import type { WebhookReplay } from '../webhooks/WebhookReplay';
import { createWebhookSettingsRoutes } from './webhookSettingsRoutes';
import type { WebhookSettingsService } from '../webhooks/WebhookSettingsService';
import type { WebhookSettingsConfig } from '../webhooks/webhookSettingsConfig';
import type { WebhookTester } from '../webhooks/WebhookTester';
import type { AnalyticsService } from '../analytics/AnalyticsService';
import { createAnalyticsRoutes } from './analyticsRoutes';

export type RouterOptions = RequestContextOptions & {
  configs: ProviderConfigService;
  operations: ProviderOperations;
  validations: AddressValidationJobs;
  status: ProviderStatusService;
  routing: RoutingService;
  /** The usage counters (the routing page's 30-day volume). */
  usage: UsageCounters;
  /**
   * The send API, message status and suppression list. Left out, none of
   * those routes is served: the plugin mounts them once its dispatcher sends
   * what they accept, so the portal never claims to send what it does not.
   */
  messages?: MessageService;
  /** Resend or mark sent by hand (unknown messages); with `messages`. */
  settlement?: ManualSettlement;
  /** The providers' webhook receivers; not served without it (nothing to verify with). */
  webhookReceiver?: WebhookReceiver;
  /** The webhook event log's routes. */
  webhookEvents?: WebhookEventStore;
  /** Re-running processing of stored webhook events; not served without it. */
  webhookReplay?: WebhookReplay;
  /** The webhooks page's settings routes; left out, they are not served. */
  webhookSettings?: {
    service: WebhookSettingsService;
    config: WebhookSettingsConfig;
    tester?: WebhookTester;
  };
  /** The analytics page's answers and bounce list; not served without it. */
  analytics?: AnalyticsService;
};

/**
 * The ESP Hub admin API (see docs/api.md): one module per area, each given
 * only the services it uses. Business logic lives in the services.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const context = createRequestContext(options);
  const router = Router();
  // The receivers read the raw body (Mailgun's HMAC is over the bytes sent):
  // they must come before any JSON parser.
  if (options.webhookReceiver) {
    router.use(
      createWebhookReceiverRoutes({ receiver: options.webhookReceiver }),
    );
  }
  // Config bodies are small; only an uploaded address list (CSV text) and a
  // routing configuration (up to 500 rules) are larger.
  router.use('/providers/:providerId/address-validations', jsonBody('2mb'));
  router.use('/routing', jsonBody('1mb'));
  if (options.messages) {
    // Up to 500 messages with 10 MB of attachments (base64) in one request.
    router.use('/messages', jsonBody(SEND_BODY_LIMIT));
  }
  router.use(jsonBody('64kb'));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.use(
    createProviderRoutes({
      context,
      configs: options.configs,
      operations: options.operations,
    }),
  );
  router.use(createDomainRoutes({ context, operations: options.operations }));
  router.use(
    createAddressValidationRoutes({
      context,
      validations: options.validations,
    }),
  );
  router.use(createStatusRoutes({ context, status: options.status }));
  router.use(
    createRoutingRoutes({
      context,
      routing: options.routing,
      volume: options.usage,
    }),
  );
  if (options.messages) {
    router.use(
      createMessageRoutes({
        context,
        messages: options.messages,
        settlement: options.settlement,
      }),
    );
  }
  if (options.webhookEvents) {
    router.use(
      createWebhookEventRoutes({ context, store: options.webhookEvents }),
    );
  }
  if (options.webhookReplay) {
    router.use(
      createWebhookReplayRoutes({ context, replay: options.webhookReplay }),
    );
  }
  if (options.webhookSettings) {
    router.use(
      createWebhookSettingsRoutes({
        context,
        webhookSettings: options.webhookSettings.service,
        config: options.webhookSettings.config,
        tester: options.webhookSettings.tester,
      }),
    );
  }
  if (options.analytics) {
    router.use(
      createAnalyticsRoutes({ context, analytics: options.analytics }),
    );
  }
  // A provider rate limit answers 429; this adds the provider's Retry-After.
  router.use(passOnRetryAfter);
  return router;
}
