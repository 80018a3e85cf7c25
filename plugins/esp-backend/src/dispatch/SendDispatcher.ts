import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConfigurableProviderId,
  isConfigurableProviderId,
  RoutingConfig,
  RoutingDecision,
  routingProviderName,
} from '@internal/plugin-esp-common';
import type { MessageStore, StoredMessage } from '../database/MessageStore';
import { RetryJobLaterError } from '../queue/jobErrors';
import type { JobContext, JobWorker } from '../queue/JobWorker';
import { nextStepAfterError } from '../routing/errorActions';
import type { RoutingMessage } from '../routing/types';
import { SEND_JOB, SendJobPayload } from '../services/messages/MessageService';
import type { LiveConnection } from '../services/ProviderConnections';
import type { OutboundMessage, SendReceipt } from '../providers/types';
import { classifySendError } from './classifySendError';
import {
  AttemptObserver,
  ignoreAttempts,
  leaveUnknownToAdmins,
  UnknownOutcomeReconciler,
} from './DispatchHooks';

/** What the dispatcher needs of the provider connections (ProviderConnections). */
export type DispatchConnections = {
  findConnection(providerId: string): Promise<LiveConnection | undefined>;
};

/** What the dispatcher needs of the routing (RoutingService). */
export type DispatchRouting = {
  decide(message: RoutingMessage): Promise<RoutingDecision>;
  currentConfig(): Promise<RoutingConfig>;
};

export type SendDispatcherOptions = {
  store: MessageStore;
  routing: DispatchRouting;
  connections: DispatchConnections;
  logger: LoggerService;
  now?: () => Date;
  /** Told of every request made to a provider (circuit breakers, usage). */
  attempts?: AttemptObserver;
  /** Asked to settle messages whose send outcome is unknown. */
  reconciler?: UnknownOutcomeReconciler;
};

const FINAL_STATUSES = new Set(['sent', 'failed', 'suppressed', 'unknown']);

/**
 * Sends one queued message per job: routes it (the decision is stored with
 * the message, so a retry follows the same chain), sends it through the
 * chosen provider's adapter, records each attempt, and after a failure does
 * what the routing's error table says: retry later on the same provider
 * (RetryJobLaterError with the delay or the provider's Retry-After), fail
 * over to the next provider of the chain at once, or fail with the reason.
 *
 * Never twice: a message is marked `sending` before its request goes out.
 * Finding it still `sending` means an earlier run stopped mid-request (a
 * crash, a lost lease), and a send that timed out may have been accepted:
 * both end `unknown` with the reason, for an admin to check, instead of
 * being sent again blindly. (Asking the provider is a later step.)
 */
export class SendDispatcher {
  private readonly store: MessageStore;
  private readonly routing: DispatchRouting;
  private readonly connections: DispatchConnections;
  private readonly logger: LoggerService;
  private readonly now: () => Date;
  private readonly observer: AttemptObserver;
  private readonly reconciler: UnknownOutcomeReconciler;

  constructor(options: SendDispatcherOptions) {
    this.observer = options.attempts ?? ignoreAttempts;
    this.reconciler = options.reconciler ?? leaveUnknownToAdmins;
    this.store = options.store;
    this.routing = options.routing;
    this.connections = options.connections;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
  }

  /** Registers the send handler on the send queue's worker. */
  register(worker: Pick<JobWorker, 'handle'>): void {
    worker.handle(SEND_JOB, context => this.handle(context), {
      onDead: async (job, error) => {
        const { messageId } = job.payload as SendJobPayload;
        const message = await this.store.get(messageId);
        if (!message || FINAL_STATUSES.has(message.status)) return;
        await this.store.update(messageId, {
          status: message.status === 'sending' ? 'unknown' : 'failed',
          reason: `The send job gave up: ${error}`,
        });
      },
    });
  }

  async handle(context: JobContext): Promise<void> {
    const { messageId } = context.job.payload as SendJobPayload;
    const message = await this.store.get(messageId);
    // A job run again after its message was settled has nothing left to do.
    if (!message || FINAL_STATUSES.has(message.status)) return;
    if (message.status === 'sending') {
      await this.store.update(messageId, {
        status: 'unknown',
        reason:
          'The backend stopped while sending this message, so whether the provider accepted it is unknown; check with the provider, then resend or mark it sent.',
      });
      if (message.provider) {
        await this.reconciler.outcomeUnknown({
          messageId,
          provider: message.provider,
          startedAt: message.updatedAt,
        });
      }
      return;
    }

    const decision = message.trace ?? (await this.decide(message));
    if (!decision.provider) {
      await this.store.update(messageId, {
        status: 'failed',
        trace: decision,
        reason: `No provider can send this email: ${lastStep(decision)}`,
      });
      return;
    }
    const route = [decision.provider, ...decision.chain];
    const config = await this.routing.currentConfig();
    const attempts = await this.store.attempts(messageId);
    let provider = currentProvider(message, route);

    for (;;) {
      const remainingChain = route.slice(route.indexOf(provider) + 1);
      const triedHere = triesOn(attempts, provider);
      const live = await this.liveConnection(provider);
      const outbound =
        typeof live === 'string' ? live : this.outbound(message, live);
      if (typeof live === 'string' || typeof outbound === 'string') {
        // Not usable for this message: nothing was sent, the chain goes on.
        const why = outbound as string;
        await this.record(messageId, provider, this.now(), 0, 'failed', why);
        const next = remainingChain[0];
        if (!config.failover.enabled || !next) {
          await this.store.update(messageId, {
            status: 'failed',
            trace: decision,
            provider,
            reason: `${why}; no other provider can take it over.`,
          });
          return;
        }
        provider = next;
        continue;
      }

      await this.store.update(messageId, {
        status: 'sending',
        provider,
        trace: decision,
      });
      const startedAt = this.now();
      const started = performance.now();
      let receipt: SendReceipt;
      try {
        receipt = await live.adapter.sendEmail(live.conn, outbound);
      } catch (error) {
        const durationMs = performance.now() - started;
        const failure = classifySendError(error, this.now());
        if (failure.outcomeUnknown) {
          await this.recordRequest(
            messageId,
            provider,
            startedAt,
            durationMs,
            'unknown',
            failure.message,
            failure.errorClass,
          );
          this.logger.warn(
            `Message ${messageId}: the send to ${provider} ended without an answer (${failure.errorClass}); marked unknown, not resent`,
          );
          await this.store.update(messageId, {
            status: 'unknown',
            reason: `${failure.message}: whether ${routingProviderName(
              provider,
            )} accepted the message is unknown, so it is not sent again blindly.`,
          });
          await this.reconciler.outcomeUnknown({
            messageId,
            provider,
            startedAt,
          });
          return;
        }
        await this.recordRequest(
          messageId,
          provider,
          startedAt,
          durationMs,
          'failed',
          failure.message,
          failure.errorClass,
        );
        attempts.push({
          messageId,
          provider,
          startedAt,
          durationMs,
          outcome: 'failed',
          errorClass: failure.errorClass,
          error: failure.message,
        });
        const step = nextStepAfterError(
          {
            errorClass: failure.errorClass,
            attempt: triedHere + 1,
            retryAfterSeconds: failure.retryAfterSeconds,
            remainingChain,
          },
          config,
        );
        this.logger.info(
          `Message ${messageId}: ${provider} failed (${failure.errorClass}); ${step.message}`,
        );
        if (step.kind === 'fail') {
          await this.store.update(messageId, {
            status: 'failed',
            reason: `${asSentence(failure.message)} ${step.message}`,
          });
          return;
        }
        if (step.kind === 'failover') {
          await this.store.update(messageId, {
            status: 'queued',
            provider: step.provider,
            reason: step.message,
          });
          provider = step.provider;
          continue;
        }
        await this.store.update(messageId, {
          status: 'queued',
          reason: step.message,
        });
        // The error table bounds the retries; the job's own attempts are
        // not spent on them.
        throw new RetryJobLaterError(step.message, {
          delayMs: step.delaySeconds * 1000,
          countsAsAttempt: false,
        });
      }
      await this.recordRequest(
        messageId,
        provider,
        startedAt,
        performance.now() - started,
        'sent',
      );
      await this.store.update(messageId, {
        status: 'sent',
        provider,
        providerMessageId: receipt.messageId,
        reason: null,
      });
      return;
    }
  }

  private async decide(message: StoredMessage): Promise<RoutingDecision> {
    const { content } = message;
    return this.routing.decide({
      emailType: message.emailType,
      ...(message.customType ? { customType: message.customType } : {}),
      subject: content.subject,
      to: [...content.to, ...content.cc, ...content.bcc],
      tags: message.tags,
      recipientCount:
        content.to.length + content.cc.length + content.bcc.length,
      sendAt: this.now(),
    });
  }

  /** The provider's live connection, or why it cannot send now. */
  private async liveConnection(
    provider: ConfigurableProviderId,
  ): Promise<LiveConnection | string> {
    const name = routingProviderName(provider);
    try {
      const live = await this.connections.findConnection(provider);
      if (!live) return `${name} is not configured`;
      if (!live.stored.enabled) return `${name} is disabled`;
      return live;
    } catch (error) {
      // Undecryptable credentials, or no adapter on this backend.
      return `${name} cannot be used: ${(error as Error).message}`;
    }
  }

  /** The message as the adapter takes it, or why this provider cannot send it. */
  private outbound(
    message: StoredMessage,
    live: LiveConnection,
  ): OutboundMessage | string {
    const { profile } = live;
    const settings = profile.readSettings(live.stored.settings);
    const defaults = profile.sendDefaults(settings);
    const { content } = message;
    if (!content.from && typeof defaults === 'string') {
      // No sender given and none configured for this provider.
      return defaults;
    }
    const tags = message.tags.length
      ? profile.tagsFor?.(settings, message.tags) ?? message.tags
      : undefined;
    return {
      ...(typeof defaults === 'string' ? {} : defaults),
      from: content.from ?? (defaults as { from: string }).from,
      to: content.to.join(', '),
      cc: content.cc,
      bcc: content.bcc,
      ...(content.replyTo ? { replyTo: content.replyTo } : {}),
      subject: content.subject,
      text: content.text ?? '',
      ...(content.html !== undefined ? { html: content.html } : {}),
      headers: message.headers,
      attachments: content.attachments,
      ...(tags ? { tags } : {}),
      // The message's id travels with it, so that the provider can later be
      // asked whether it accepted it.
      metadata: { ...message.metadata, espMessageId: message.id },
    };
  }

  /** An attempt that made a request to the provider: its health hears of it too. */
  private async recordRequest(
    messageId: string,
    provider: string,
    startedAt: Date,
    durationMs: number,
    outcome: 'sent' | 'failed' | 'unknown',
    error?: string,
    errorClass?: ReturnType<typeof classifySendError>['errorClass'],
  ) {
    await this.record(
      messageId,
      provider,
      startedAt,
      durationMs,
      outcome,
      error,
      errorClass,
    );
    await this.observer.attemptFinished({
      provider,
      outcome,
      durationMs,
      at: startedAt,
      ...(errorClass ? { errorClass } : {}),
    });
  }

  private record(
    messageId: string,
    provider: string,
    startedAt: Date,
    durationMs: number,
    outcome: 'sent' | 'failed' | 'unknown',
    error?: string,
    errorClass?: ReturnType<typeof classifySendError>['errorClass'],
  ) {
    return this.store.addAttempt({
      messageId,
      provider,
      startedAt,
      durationMs,
      outcome,
      ...(error ? { error } : {}),
      ...(errorClass ? { errorClass } : {}),
    });
  }
}

/** Where a message stands in its route: the provider it was last sent to or handed over to. */
function currentProvider(
  message: StoredMessage,
  route: ConfigurableProviderId[],
): ConfigurableProviderId {
  const stored = message.provider;
  return stored && isConfigurableProviderId(stored) && route.includes(stored)
    ? stored
    : route[0];
}

function lastStep(decision: RoutingDecision): string {
  return decision.trace[decision.trace.length - 1]?.message ?? 'no route';
}

/** The provider's reason with one full stop at its end. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** How often the message was tried on this provider so far. */
function triesOn(
  attempts: ReadonlyArray<{ provider: string }>,
  provider: string,
): number {
  return attempts.filter(a => a.provider === provider).length;
}
