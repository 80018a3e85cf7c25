import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { WebhookProviderId } from '@internal/plugin-esp-common';
import express from 'express';
import type { Knex } from 'knex';
import { createHmac, randomUUID } from 'node:crypto';
import { createRouter } from '../routes/createRouter';
import type { WebhookEventProcessor } from '../webhooks/WebhookEventProcessor';
import type {
  PostmarkWebhookAuth,
  WebhookSecrets,
} from '../webhooks/WebhookSecrets';
import type { EspServicesOptions } from '../services/createEspServices';
import { createEspServices } from './serviceFixture';

export const MAILGUN_SIGNING_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
export const POSTMARK_AUTH: PostmarkWebhookAuth = {
  username: 'esp-hub',
  password: 'pm-webhook-7d1f0c2a9b',
};

/** Settings as the providers' slice will keep them, held in memory for tests. */
export class TestWebhookSecrets implements WebhookSecrets {
  signingKey: string | undefined = MAILGUN_SIGNING_KEY;
  postmark: PostmarkWebhookAuth | undefined = { ...POSTMARK_AUTH };
  async mailgunSigningKey() {
    return this.signingKey;
  }
  async postmarkAuth() {
    return this.postmark;
  }
  async subscriptions(_provider: WebhookProviderId) {
    return [];
  }
}

/** A Mailgun webhook body as Mailgun signs it: hex HMAC-SHA256 of timestamp + token. */
export function signedMailgunBody(
  eventData: Record<string, unknown>,
  options: { key?: string; timestamp?: number; token?: string } = {},
) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const token = options.token ?? randomUUID().replace(/-/g, '');
  const signature = createHmac('sha256', options.key ?? MAILGUN_SIGNING_KEY)
    .update(timestamp + token)
    .digest('hex');
  return {
    signature: { timestamp, token, signature },
    'event-data': eventData,
  };
}

export function mailgunDelivered(id: string = randomUUID()) {
  return {
    id,
    event: 'delivered',
    timestamp: Date.now() / 1000,
    recipient: 'alice@example.com',
    message: { headers: { 'message-id': `${id}@mg.example.com` } },
  };
}

export function postmarkDelivery(messageId: string = randomUUID()) {
  return {
    RecordType: 'Delivery',
    ServerID: 23,
    MessageStream: 'outbound',
    MessageID: messageId,
    Recipient: 'john@example.com',
    Tag: 'welcome',
    DeliveredAt: new Date().toISOString(),
    Details: 'Test delivery webhook details',
    Metadata: {},
  };
}

export function basicHeader(auth: { username: string; password: string }) {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString(
    'base64',
  )}`;
}

/** A processor that records what it was given (in memory). */
export function recordingProcessor(): WebhookEventProcessor & {
  seen: string[];
} {
  const seen: string[] = [];
  return {
    seen,
    async process(event) {
      seen.push(event.id);
      return { status: 'processed', type: 'delivered', note: 'test' };
    },
  };
}

/**
 * The ESP Hub router over real services and a real database with webhook
 * secrets in memory: one "replica". Two fixtures over one knex are two
 * replicas sharing the database.
 */
export async function createWebhookFixture(options: {
  knex: Knex;
  config?: object;
  notifications?: NotificationService;
  processor?: WebhookEventProcessor;
  worker?: NonNullable<EspServicesOptions['webhooks']>['worker'];
}) {
  const secrets = new TestWebhookSecrets();
  const signals = { publish: jest.fn(async () => {}) };
  const services = await createEspServices({
    knex: options.knex,
    providers: [],
    config: { admins: ['group:default/esp-admins'], ...options.config },
    notifications: options.notifications,
    webhooks: {
      secrets,
      signals,
      // Without one given, events wait: the tests see what the receiver stored.
      processor: options.processor ?? null,
      worker: { pollIntervalMs: 50, ...options.worker },
    },
  });
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    permissions: mockServices.permissions(),
    auditor: mockServices.auditor.mock(),
    configs: services.configs,
    operations: services.operations,
    validations: services.validations,
    status: services.status,
    routing: services.routing,
    usage: services.usage,
    webhookReceiver: services.webhookReceiver,
    webhookEvents: services.webhookStore,
  });
  const app = express().use(router).use(mockErrorHandler());
  return { ...services, app, secrets, signals };
}

/** The warnings a mock logger and every child made of it logged. */
export function loggedWarnings(logger: unknown): string[] {
  const mock = logger as {
    warn: jest.Mock;
    child: jest.Mock;
  };
  return [
    ...mock.warn.mock.calls.map(call => String(call[0])),
    ...mock.child.mock.results.flatMap(result => loggedWarnings(result.value)),
  ];
}
