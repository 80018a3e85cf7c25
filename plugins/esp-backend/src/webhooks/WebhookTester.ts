import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import type {
  WebhookEventView,
  WebhookTestInput,
  WebhookTestResult,
} from '@internal/plugin-esp-common';
import { randomUUID } from 'node:crypto';
import {
  mailgunSignature,
  mailgunTestEventData,
  postmarkTestPayload,
  TestEventSubject,
} from './testWebhookPayloads';
import type { WebhookSecrets } from './WebhookSecrets';

/** Reads back what the receiver stored for a posted body (ingest's store, by the event's identity). */
export type StoredEventLookup = (
  provider: WebhookTestInput['provider'],
  payload: unknown,
  headers: Record<string, string>,
) => Promise<WebhookEventView | null>;

export type WebhookTesterOptions = {
  secrets: WebhookSecrets;
  /** Where the backend itself reaches its receivers (`backend.baseUrl`). */
  receiverBaseUrl: string;
  /** The most recent message ESP Hub sent through the provider, if any. */
  recentMessage(provider: string): Promise<TestEventSubject | undefined>;
  findStoredEvent: StoredEventLookup;
  /** Postmark's message stream, for the payload's MessageStream. */
  postmarkStream?(): Promise<string>;
  /** How long to wait for processing to finish; defaults to 5 s. */
  waitMs?: number;
  now?: () => Date;
};

const SAMPLE_EMAIL = 'test-recipient@example.com';

/**
 * The test-webhook action: a realistic event in the provider's own format,
 * authenticated as the provider authenticates it, POSTed over HTTP to the
 * backend's receiver, so that it goes through the real receiver and pipeline.
 */
export class WebhookTester {
  constructor(private readonly options: WebhookTesterOptions) {}

  async send(input: WebhookTestInput): Promise<WebhookTestResult> {
    const now = (this.options.now ?? (() => new Date()))();
    const subject = (await this.options.recentMessage(input.provider)) ?? {
      email: SAMPLE_EMAIL,
      providerMessageId:
        input.provider === 'mailgun'
          ? `${Date.now()}.${randomUUID()}@esp-hub-test.example.com`
          : randomUUID(),
    };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent':
        input.provider === 'postmark' ? 'Postmark' : 'mailgun/treq-16.12.0',
    };
    let payload: Record<string, unknown>;
    if (input.provider === 'postmark') {
      const auth = await this.options.secrets.postmarkAuth();
      if (!auth) {
        throw new ConflictError(
          'Postmark webhook credentials are not generated yet: configure Postmark first',
        );
      }
      headers.authorization = `Basic ${Buffer.from(
        `${auth.username}:${auth.password}`,
      ).toString('base64')}`;
      if (auth.header)
        headers[auth.header.name.toLowerCase()] = auth.header.value;
      const stream = (await this.options.postmarkStream?.()) ?? 'outbound';
      payload = postmarkTestPayload(input.eventType, subject, stream, now);
    } else {
      const key = await this.options.secrets.mailgunSigningKey();
      if (!key) {
        throw new ConflictError(
          'Mailgun has no webhook signing key yet: fetch it or paste it first',
        );
      }
      payload = {
        signature: mailgunSignature(key, now),
        'event-data': mailgunTestEventData(input.eventType, subject, now),
      };
    }
    const url = `${this.options.receiverBaseUrl.replace(
      /\/+$/,
      '',
    )}/api/esp/webhooks/${input.provider}`;
    let answer: Response;
    try {
      answer = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // The backend cannot reach itself at backend.baseUrl: a setup problem.
      throw new ServiceUnavailableError(
        `The webhook receiver at ${url} could not be reached (check backend.baseUrl): ${
          (error as Error).cause ?? (error as Error).message
        }`,
      );
    }
    await answer.arrayBuffer().catch(() => undefined);
    const event =
      answer.status < 300
        ? await this.waitForProcessing(input.provider, payload, headers)
        : null;
    return { httpStatus: answer.status, payload, event };
  }

  /** The stored event once it left `pending`, or as it is when the wait ends. */
  private async waitForProcessing(
    provider: WebhookTestInput['provider'],
    payload: unknown,
    headers: Record<string, string>,
  ): Promise<WebhookEventView | null> {
    const deadline = Date.now() + (this.options.waitMs ?? 5000);
    let event: WebhookEventView | null = null;
    for (;;) {
      event = await this.options.findStoredEvent(provider, payload, headers);
      if ((event && event.status !== 'pending') || Date.now() >= deadline) {
        return event;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}
