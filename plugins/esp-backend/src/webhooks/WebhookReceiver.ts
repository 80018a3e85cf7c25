import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WebhookProviderId } from '@internal/plugin-esp-common';
import { eventIdentity } from './eventIdentity';
import type { EventSignals } from './EventSignals';
import type { RejectionAlerts } from './RejectionAlerts';
import type { WebhookEventStore } from './WebhookEventStore';
import type { WebhookProcessing } from './WebhookProcessing';
import type { ReceivedRequest, WebhookVerifier } from './WebhookVerifier';

/** What the receiver answers the provider. */
export type ReceiverAnswer = { status: number; body: Record<string, unknown> };

const TOKEN_PURGE_INTERVAL_MS = 60_000;

/** Rolls back the insert when the token was used before. */
class ReplayedToken extends Error {}

function parseJson(
  rawBody: Buffer,
): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(rawBody.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/**
 * Receives one posted event: verified, then stored and its processing job
 * enqueued, then acknowledged (persist-then-ack: a 2xx means the event is in
 * the database). The event, its Mailgun token and its job are written in one
 * transaction — chosen over a sweeper of pending events without a job because
 * nothing then can be half-written: a process killed mid-way leaves either
 * all three (the 2xx may be lost, the provider retries, the retry is a
 * duplicate) or none (no 2xx was sent, the provider retries) — and a failed
 * write does not burn the token, so the provider's retry still verifies.
 */
export class WebhookReceiver {
  private lastTokenPurge = 0;

  constructor(
    private readonly options: {
      store: WebhookEventStore;
      verifier: WebhookVerifier;
      processing: WebhookProcessing;
      alerts: RejectionAlerts;
      signals?: EventSignals;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async receive(
    provider: WebhookProviderId,
    request: Omit<ReceivedRequest, 'body'>,
  ): Promise<ReceiverAnswer> {
    const { store, verifier, processing } = this.options;
    const parsed = parseJson(request.rawBody);
    // Postmark's credentials are checked before the body is looked at; a
    // Mailgun signature is inside the body, which must be JSON to have one.
    if (provider === 'postmark') {
      const verdict = await verifier.verify(provider, {
        ...request,
        body: parsed.ok ? parsed.value : undefined,
      });
      if (!verdict.ok) return this.refuse(provider, verdict.reason, request);
    }
    if (!parsed.ok) {
      return badRequest('The body is not valid JSON');
    }
    let replayToken: { token: string; expiresAt: Date } | undefined;
    if (provider === 'mailgun') {
      const verdict = await verifier.verify(provider, {
        ...request,
        body: parsed.value,
      });
      if (!verdict.ok) return this.refuse(provider, verdict.reason, request);
      replayToken = verdict.replayToken;
    }
    const identity = eventIdentity(provider, parsed.value, request.headers);
    if ('error' in identity) return badRequest(identity.error);

    let outcome;
    try {
      outcome = await store.inTransaction(async tx => {
        if (
          replayToken &&
          !(await store.rememberToken(
            provider,
            replayToken.token,
            replayToken.expiresAt,
            tx,
          ))
        ) {
          throw new ReplayedToken();
        }
        const inserted = await store.insertIfAbsent(
          {
            provider,
            providerEventId: identity.providerEventId,
            payload: parsed.value,
          },
          tx,
        );
        if (inserted.inserted)
          await processing.enqueue([inserted.event.id], tx);
        return inserted;
      });
    } catch (error) {
      if (error instanceof ReplayedToken) {
        return this.refuse(provider, 'token replayed', request);
      }
      throw error;
    }
    this.purgeTokensNowAndThen();
    if (!outcome.inserted) {
      // A provider's retry of an event already stored: acknowledged, so it stops.
      return { status: 200, body: { status: 'duplicate', id: outcome.id } };
    }
    this.options.signals?.received(provider);
    return { status: 200, body: { status: 'accepted', id: outcome.event.id } };
  }

  private async refuse(
    provider: WebhookProviderId,
    reason: string,
    request: Omit<ReceivedRequest, 'body'>,
  ): Promise<ReceiverAnswer> {
    await this.options.alerts.rejected(provider, reason, request.ip);
    return {
      status: 401,
      body: { error: `Webhook verification failed: ${reason}` },
    };
  }

  private purgeTokensNowAndThen() {
    const now = this.options.now?.() ?? new Date();
    if (now.getTime() - this.lastTokenPurge < TOKEN_PURGE_INTERVAL_MS) return;
    this.lastTokenPurge = now.getTime();
    this.options.store.purgeExpiredTokens(now).catch(error => {
      this.options.logger.warn(
        `Could not purge expired webhook tokens: ${error}`,
      );
    });
  }
}

function badRequest(error: string): ReceiverAnswer {
  return { status: 400, body: { error } };
}
