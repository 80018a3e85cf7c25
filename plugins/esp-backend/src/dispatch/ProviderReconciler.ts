import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  isConfigurableProviderId,
  routingProviderName,
} from '@internal/plugin-esp-common';
import type { MessageStore, StoredMessage } from '../database/MessageStore';
import { RetryJobLaterError } from '../queue/jobErrors';
import type { JobContext, JobWorker } from '../queue/JobWorker';
import type { MessageService } from '../services/messages/MessageService';
import type { DispatchConnections } from './SendDispatcher';
import type { UnknownOutcomeReconciler } from './DispatchHooks';

/** The job type of a check; it runs on the send queue's worker. */
export const RECONCILE_JOB = 'reconcile-message';

export type ReconcileJobPayload = {
  messageId: string;
  provider: string;
  /** ISO time the request whose outcome is unknown was started. */
  startedAt: string;
};

/**
 * When the provider is asked, counted from the request whose answer never
 * came. Providers index what they accepted with a lag: Postmark's message
 * search shows a message within seconds, while Mailgun's guide to polling its
 * events says they can take a while to be stored and treats half an hour as
 * safe. So the first answers that find the message settle it early, and "no
 * record" is only believed once 30 minutes have passed since the send: a
 * message the provider never got waits about half an hour before it is sent
 * again, which is the price of never sending it twice.
 */
export const DEFAULT_CHECK_DELAYS_MS = [
  15_000,
  60_000,
  5 * 60_000,
  30 * 60_000,
];

/** How often an unanswered provider is asked again before an admin is left to decide. */
const ASK_ATTEMPTS = 6;
/** After an error, the next question waits this long (then doubles), at most a few minutes. */
const ERROR_RETRY_MS = 30_000;
const MAX_ERROR_RETRY_MS = 5 * 60_000;

/**
 * A message sent again after "no record" whose next send ends unknown too is
 * tried at most this often: a provider that keeps taking requests without
 * answering is left to an admin rather than looped through for ever.
 */
const DEFAULT_MAX_RESENDS = 2;

// The note on an attempt the provider had no record of; counted to bound resends.
const NO_RECORD = 'had no record of it';

const ADMIN_STEP = 'check with the provider, then resend or mark it sent.';

export type ProviderReconcilerOptions = {
  store: MessageStore;
  /** The send queue's worker: the checks are its jobs. */
  worker: Pick<JobWorker, 'enqueue'>;
  connections: DispatchConnections;
  messages: Pick<MessageService, 'requeue'>;
  logger: LoggerService;
  now?: () => Date;
  /** When to ask, from the unknown request's start; the last is when "no record" is believed. */
  checkDelaysMs?: number[];
  maxResends?: number;
};

/**
 * Settles messages whose send outcome is unknown by asking the provider
 * (`ProviderAdapter.findAccepted`, by the `espMessageId` the dispatcher
 * attached): found → `sent` with the provider's message id; no record once
 * the provider's indexing lag has passed → queued again (`requeue`); a
 * provider that cannot be asked (SMTP, or its API keeps failing) → stays
 * `unknown` with a reason for an admin.
 *
 * Safe with several replicas: each check is a job (leased like any job,
 * one per message by its dedupe key), and every change is a compare-and-set
 * on the message's `unknown` status, so a message an admin or another
 * replica settled meanwhile is left alone.
 */
export class ProviderReconciler implements UnknownOutcomeReconciler {
  private readonly store: MessageStore;
  private readonly worker: ProviderReconcilerOptions['worker'];
  private readonly connections: DispatchConnections;
  private readonly messages: ProviderReconcilerOptions['messages'];
  private readonly logger: LoggerService;
  private readonly now: () => Date;
  private readonly delays: number[];
  private readonly maxResends: number;

  constructor(options: ProviderReconcilerOptions) {
    this.store = options.store;
    this.worker = options.worker;
    this.connections = options.connections;
    this.messages = options.messages;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    const delays = options.checkDelaysMs ?? DEFAULT_CHECK_DELAYS_MS;
    this.delays = delays.length
      ? [...delays].sort((a, b) => a - b)
      : DEFAULT_CHECK_DELAYS_MS;
    this.maxResends = options.maxResends ?? DEFAULT_MAX_RESENDS;
  }

  /** Registers the check on the send queue's worker. */
  register(worker: Pick<JobWorker, 'handle'>): void {
    worker.handle(RECONCILE_JOB, context => this.check(context), {
      // The provider kept failing to answer: an admin decides.
      onDead: async (job, error) => {
        const { messageId, provider } = job.payload as ReconcileJobPayload;
        await this.leaveToAdmin(
          messageId,
          `${nameOf(
            provider,
          )} could not be asked whether it accepted the message (${error}); ${ADMIN_STEP}`,
        );
      },
    });
  }

  async outcomeUnknown(check: {
    messageId: string;
    provider: string;
    startedAt: Date;
  }): Promise<void> {
    const { messageId, provider, startedAt } = check;
    const name = nameOf(provider);
    const live = await this.connections
      .findConnection(provider)
      .catch(() => undefined);
    if (live && !live.adapter.findAccepted) {
      await this.leaveToAdmin(
        messageId,
        `Whether ${name} accepted the message is unknown, and ${name} cannot be asked; ${ADMIN_STEP}`,
      );
      return;
    }
    const message = await this.store.get(messageId);
    // The reason and the check commit together: "ESP Hub is asking" never
    // outlives a check that was not enqueued, nor overwrites what a check
    // already decided.
    await this.store.inTransaction(async tx => {
      if (message?.status === 'unknown') {
        await this.store.updateIf(
          messageId,
          'unknown',
          {
            // The admin's step is not needed (yet): ESP Hub asks first.
            reason: `${(message.reason ?? 'The send ended without an answer.')
              .replace(
                /; check with the provider, then resend or mark it sent\.$/,
                '.',
              )
              .trim()} ESP Hub is asking ${name} whether it accepted it.`,
          },
          tx,
        );
      }
      await this.worker.enqueue(
        {
          type: RECONCILE_JOB,
          payload: {
            messageId,
            provider,
            startedAt: startedAt.toISOString(),
          } satisfies ReconcileJobPayload,
          dedupeKey: `reconcile:${messageId}`,
          runAt: new Date(startedAt.getTime() + this.delays[0]),
          maxAttempts: ASK_ATTEMPTS,
        },
        { transaction: tx },
      );
    });
  }

  /** One question to the provider; the job comes back later while the answer is not final. */
  async check(context: JobContext): Promise<void> {
    const { messageId, provider, startedAt } = context.job
      .payload as ReconcileJobPayload;
    const name = nameOf(provider);
    const message = await this.store.get(messageId);
    // Settled meanwhile (an admin, another replica): nothing to ask.
    if (!message || message.status !== 'unknown') return;
    const attempts = await this.store.attempts(messageId);
    // A check still waiting when an admin resent the message, and the resend
    // ended unknown too, stands for that later request (one check per
    // message): the lag is counted from the latest request.
    const latest = attempts[attempts.length - 1]?.startedAt;
    const since =
      latest && latest.getTime() > Date.parse(startedAt)
        ? latest
        : new Date(startedAt);

    const live = await this.connections.findConnection(provider);
    if (!live || !live.adapter.findAccepted) {
      await this.leaveToAdmin(
        messageId,
        `Whether ${name} accepted the message is unknown, and ${name} cannot be asked${
          live ? '' : ' (it is no longer configured)'
        }; ${ADMIN_STEP}`,
      );
      return;
    }

    let answer;
    try {
      answer = await live.adapter.findAccepted(live.conn, {
        espMessageId: messageId,
        since,
        ...(recipientOf(message) ? { recipient: recipientOf(message) } : {}),
      });
    } catch (error) {
      // Costs an attempt: after the last one, onDead leaves it to an admin.
      const delayMs = Math.min(
        ERROR_RETRY_MS * 2 ** (context.job.attempt - 1),
        MAX_ERROR_RETRY_MS,
      );
      throw new RetryJobLaterError(
        `${name} could not be asked: ${(error as Error).message}`,
        { delayMs },
      );
    }

    if (answer.found) {
      const settled = await this.store.updateIf(messageId, 'unknown', {
        status: 'sent',
        provider,
        providerMessageId: answer.providerMessageId,
        reason: null,
      });
      if (settled) {
        await this.noteOnAttempt(message, provider, since, {
          outcome: 'sent',
          note: `The answer never came, but ${name} had accepted the message: found there afterwards.`,
        });
        this.logger.info(
          `Message ${messageId}: ${name} had accepted it (${answer.providerMessageId}); marked sent`,
        );
      }
      return;
    }

    const elapsed = this.now().getTime() - since.getTime();
    const next = this.delays.find(d => d > elapsed);
    if (next !== undefined) {
      // Not indexed yet, perhaps: ask again at the next time of the schedule.
      throw new RetryJobLaterError(
        `${name} has no record of the message yet; asking again`,
        {
          delayMs: since.getTime() + next - this.now().getTime(),
          countsAsAttempt: false,
        },
      );
    }

    const resends = attempts.filter(a => a.error?.includes(NO_RECORD)).length;
    const minutes = Math.round(elapsed / 60_000);
    if (resends >= this.maxResends) {
      await this.leaveToAdmin(
        messageId,
        `${name} had no record of the message ${minutes} min after the send, and it was already sent again ${resends} times without an answer; ${ADMIN_STEP}`,
      );
      return;
    }
    const [queued] = await this.messages.requeue([messageId], {
      reason: `${name} had no record of the message ${minutes} min after the send, so it is sent again.`,
      onlyFrom: 'unknown',
    });
    if (queued) {
      await this.noteOnAttempt(message, provider, since, {
        outcome: 'failed',
        note: `The answer never came, and ${name} ${NO_RECORD} ${minutes} min later: sent again.`,
      });
      this.logger.info(
        `Message ${messageId}: ${name} has no record of it; queued again`,
      );
    }
  }

  /** The message stays `unknown`, with why, unless it was settled meanwhile. */
  private async leaveToAdmin(messageId: string, reason: string) {
    const left = await this.store.updateIf(messageId, 'unknown', { reason });
    if (left) {
      this.logger.warn(`Message ${messageId} left to an admin: ${reason}`);
    }
  }

  /**
   * Settles the attempt whose outcome was unknown; a backend that stopped
   * mid-request left none, so one is recorded for that request.
   */
  private async noteOnAttempt(
    message: StoredMessage,
    provider: string,
    startedAt: Date,
    settled: { outcome: 'sent' | 'failed'; note: string },
  ) {
    if (await this.store.settleUnknownAttempt(message.id, settled)) return;
    await this.store.addAttempt({
      messageId: message.id,
      provider,
      startedAt,
      durationMs: 0,
      outcome: settled.outcome,
      error: `The backend stopped during this request. ${settled.note}`,
    });
  }
}

function nameOf(provider: string): string {
  return isConfigurableProviderId(provider)
    ? routingProviderName(provider)
    : provider;
}

function recipientOf(message: StoredMessage): string | undefined {
  const first =
    message.content.to[0] ?? message.content.cc[0] ?? message.content.bcc[0];
  return (first?.match(/<([^>]+)>/)?.[1] ?? first)?.trim().toLowerCase();
}
