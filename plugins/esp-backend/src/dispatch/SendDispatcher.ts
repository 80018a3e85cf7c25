import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConfigurableProviderId,
  isConfigurableProviderId,
  RoutingConfig,
  RoutingDecision,
  routingProviderName,
} from '@internal/plugin-esp-common';
import type { Knex } from 'knex';
import type {
  MessageStore,
  NewAttempt,
  StoredMessage,
} from '../database/MessageStore';
import type { JobContext, JobWorker } from '../queue/JobWorker';
import { nextStepAfterError } from '../routing/errorActions';
import type { RoutingMessage } from '../routing/types';
import {
  messageIdsOf,
  SEND_JOB,
  sendJobsFor,
} from '../services/messages/MessageService';
import type { LiveConnection } from '../services/ProviderConnections';
import type { OutboundMessage } from '../providers/types';
import type { ClassifiedSendError } from './classifySendError';
import {
  AttemptObserver,
  AttemptReport,
  ignoreAttempts,
  leaveUnknownToAdmins,
  UnknownOutcomeReconciler,
} from './DispatchHooks';
import { outboundMessage } from './outboundMessage';
import { ChunkItemOutcome, sendChunk } from './sendChunk';

/** What the dispatcher needs of the provider connections (ProviderConnections). */
export type DispatchConnections = {
  findConnection(providerId: string): Promise<LiveConnection | undefined>;
  /** The provider's connection, decrypted once per configuration version. */
  sendingConnection(providerId: string): Promise<LiveConnection | undefined>;
};

/** What the dispatcher needs of the routing (RoutingService). */
export type DispatchRouting = {
  decideMany(messages: RoutingMessage[]): Promise<RoutingDecision[]>;
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
  /** Requests at once to a provider without a batch endpoint (SMTP, Mailgun). */
  perMessageConcurrency?: number;
};

// A provider without a batch endpoint gets its messages marked `sending`
// this many at a time: a crash leaves at most these unknown.
const ONE_BY_ONE_CHUNK = 20;
const INTERRUPTED =
  'The backend stopped while sending this message, so whether the provider accepted it is unknown; check with the provider, then resend or mark it sent.';

/** A message on its way: where it stands in its route, and its attempts so far. */
type InFlight = {
  message: StoredMessage;
  decision: RoutingDecision;
  route: ConfigurableProviderId[];
  provider: ConfigurableProviderId;
  attempts: Array<{ provider: string }>;
  /** The decision is new: it is stored with the first write of the message. */
  traceUnsaved: boolean;
};

/** What one chunk's outcomes write, all in one transaction. */
type Settlement = {
  attempts: NewAttempt[];
  sent: Array<{ id: string; providerMessageId: string }>;
  /** Updates by their content: messages with the same change share a statement. */
  updates: Map<
    string,
    {
      ids: string[];
      status: 'failed' | 'unknown' | 'queued';
      reason: string;
      provider?: string;
      trace?: RoutingDecision;
    }
  >;
  /** Messages to try again on the same provider, by the delay in ms. */
  retries: Map<number, string[]>;
  unknown: Array<{ messageId: string; provider: string; startedAt: Date }>;
};

/**
 * Sends the messages of a send job (those accepted together, up to 500):
 * routes them (each decision is stored with its message, so a retry follows
 * the same chain), groups them by the provider they are going to, sends each
 * group in chunks of the provider's batch size (one request per chunk where
 * the provider has a batch endpoint, otherwise one request per message, a
 * few at once), and records every message's own outcome and attempt in one
 * transaction per chunk. After a failure each message does what the routing's
 * error table says: fail over to the next provider at once (within this job),
 * retry later on the same provider (a new job at the delay or the provider's
 * Retry-After, committed with the messages' state), or fail with the reason.
 *
 * Never twice: a chunk's messages are marked `sending` (a compare-and-set
 * from `queued`: of two dispatchers racing for a message only one sends it)
 * before the request. Finding one still `sending` means an earlier run stopped
 * mid-request; a request that timed out or lost its answer may have been
 * accepted: every message of it ends `unknown` with the reason, and the
 * reconciler is told, instead of being sent again blindly.
 */
export class SendDispatcher {
  private readonly store: MessageStore;
  private readonly routing: DispatchRouting;
  private readonly connections: DispatchConnections;
  private readonly logger: LoggerService;
  private readonly now: () => Date;
  private readonly observer: AttemptObserver;
  private readonly reconciler: UnknownOutcomeReconciler;
  private readonly perMessageConcurrency: number;
  private worker?: Pick<JobWorker, 'enqueueMany'>;

  constructor(options: SendDispatcherOptions) {
    this.observer = options.attempts ?? ignoreAttempts;
    this.reconciler = options.reconciler ?? leaveUnknownToAdmins;
    this.store = options.store;
    this.routing = options.routing;
    this.connections = options.connections;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.perMessageConcurrency = options.perMessageConcurrency ?? 4;
  }

  /** Registers the send handler on the send queue's worker (which also takes its retries). */
  register(worker: Pick<JobWorker, 'handle' | 'enqueueMany'>): void {
    this.worker = worker;
    worker.handle(SEND_JOB, context => this.handle(context), {
      onDead: async (job, error) => {
        const ids = messageIdsOf(job.payload);
        const reason = `The send job gave up: ${error}`;
        await this.store.updateMany(
          ids,
          { status: 'unknown', reason },
          { onlyIf: ['sending'] },
        );
        await this.store.updateMany(
          ids,
          { status: 'failed', reason },
          { onlyIf: ['queued'] },
        );
      },
    });
  }

  async handle(context: JobContext): Promise<void> {
    const ids = messageIdsOf(context.job.payload);
    const order = new Map(ids.map((id, i) => [id, i]));
    // In the order accepted, so that batches follow it.
    const messages = (await this.store.getMany(ids)).sort(
      (a, b) => order.get(a.id)! - order.get(b.id)!,
    );
    // A job run again after its messages were settled has nothing left to do.
    await this.settleInterrupted(messages.filter(m => m.status === 'sending'));
    const waiting = messages.filter(m => m.status === 'queued');
    if (!waiting.length) return;

    let active = await this.route(waiting);
    if (!active.length) return;
    const config = await this.routing.currentConfig();
    const attempts = await this.store.attemptsOfMany(
      active.map(f => f.message.id),
    );
    for (const f of active) {
      f.attempts = attempts.filter(a => a.messageId === f.message.id);
    }

    // Each round sends every message to its current provider; those that
    // fail over go round again to the next one.
    while (active.length) {
      const byProvider = new Map<ConfigurableProviderId, InFlight[]>();
      for (const f of active) {
        byProvider.set(f.provider, [...(byProvider.get(f.provider) ?? []), f]);
      }
      const onwards = await Promise.all(
        [...byProvider].map(([provider, group]) =>
          this.sendVia(provider, group, config, context.signal),
        ),
      );
      active = onwards.flat();
    }
  }

  /** Messages an earlier run left `sending`: unknown, for the reconciler. */
  private async settleInterrupted(messages: StoredMessage[]): Promise<void> {
    if (!messages.length) return;
    const marked = new Set(
      await this.store.updateMany(
        messages.map(m => m.id),
        { status: 'unknown', reason: INTERRUPTED },
        { onlyIf: ['sending'] },
      ),
    );
    for (const message of messages) {
      if (!marked.has(message.id) || !message.provider) continue;
      await this.reconciler.outcomeUnknown({
        messageId: message.id,
        provider: message.provider,
        startedAt: message.updatedAt,
      });
    }
  }

  /**
   * Each message's route: the stored decision, or a new one (stored with the
   * message at once). Messages no provider can send fail here.
   */
  private async route(messages: StoredMessage[]): Promise<InFlight[]> {
    const undecided = messages.filter(m => !m.trace);
    const decided = await this.routing.decideMany(
      undecided.map(m => this.routingMessage(m)),
    );
    const decisions = new Map<string, RoutingDecision>();
    undecided.forEach((m, i) => decisions.set(m.id, decided[i]));
    // Those no provider can send end here; the others' decisions are
    // stored with their first write (marking them sending).
    const unroutable = new Map<
      string,
      { trace: RoutingDecision; ids: string[] }
    >();
    for (const m of undecided) {
      const trace = decisions.get(m.id)!;
      if (trace.provider) continue;
      const key = JSON.stringify(trace);
      const entry = unroutable.get(key) ?? { trace, ids: [] };
      entry.ids.push(m.id);
      unroutable.set(key, entry);
    }
    for (const { trace, ids } of unroutable.values()) {
      await this.store.updateMany(
        ids,
        {
          status: 'failed',
          trace,
          reason: `No provider can send this email: ${lastStep(trace)}`,
        },
        { onlyIf: ['queued'] },
      );
    }

    const routed: InFlight[] = [];
    for (const message of messages) {
      const decision = message.trace ?? decisions.get(message.id)!;
      if (!decision.provider) continue;
      const route = [decision.provider, ...decision.chain];
      routed.push({
        message,
        decision,
        route,
        provider: currentProvider(message, route),
        attempts: [],
        traceUnsaved: !message.trace,
      });
    }
    return routed;
  }

  /** Sends a group through one provider; the messages that fail over onwards. */
  private async sendVia(
    provider: ConfigurableProviderId,
    group: InFlight[],
    config: RoutingConfig,
    signal: AbortSignal,
  ): Promise<InFlight[]> {
    const live = await this.liveConnection(provider);
    if (typeof live === 'string') {
      return this.notUsable(
        group.map(f => ({ f, why: live })),
        config,
      );
    }
    const sendable: Array<{ f: InFlight; outbound: OutboundMessage }> = [];
    const unusable: Array<{ f: InFlight; why: string }> = [];
    for (const f of group) {
      const outbound = outboundMessage(f.message, live);
      if (typeof outbound === 'string') unusable.push({ f, why: outbound });
      else sendable.push({ f, outbound });
    }
    const onwards = await this.notUsable(unusable, config);

    const { adapter, conn } = live;
    const limit = adapter.capabilities.batchLimit;
    let size = Math.max(1, Math.min(conn.batchSize ?? limit, limit));
    if (!adapter.capabilities.batchEndpoint) {
      size = Math.min(size, ONE_BY_ONE_CHUNK);
    }
    for (let i = 0; i < sendable.length; i += size) {
      // Stopping (shutdown, a lost lease): what is not sent yet stays
      // queued for the job's next run, here or on another replica.
      if (signal.aborted) {
        throw new Error(
          `Sending stopped: ${String(signal.reason ?? 'aborted')}`,
        );
      }
      onwards.push(
        ...(await this.sendOneChunk(
          provider,
          live,
          sendable.slice(i, i + size),
          config,
        )),
      );
    }
    return onwards;
  }

  private async sendOneChunk(
    provider: ConfigurableProviderId,
    live: LiveConnection,
    chunk: Array<{ f: InFlight; outbound: OutboundMessage }>,
    config: RoutingConfig,
  ): Promise<InFlight[]> {
    // One compare-and-set per distinct new decision (messages routed alike
    // share one), and one for those whose decision is stored already.
    const byTrace = new Map<
      string,
      { trace?: RoutingDecision; ids: string[] }
    >();
    for (const { f } of chunk) {
      const key = f.traceUnsaved ? JSON.stringify(f.decision) : '';
      const entry = byTrace.get(key) ?? {
        ...(f.traceUnsaved ? { trace: f.decision } : {}),
        ids: [],
      };
      entry.ids.push(f.message.id);
      byTrace.set(key, entry);
    }
    const claimed = new Set<string>();
    for (const { trace, ids } of byTrace.values()) {
      const taken = await this.store.updateMany(
        ids,
        { status: 'sending', provider, ...(trace ? { trace } : {}) },
        { onlyIf: ['queued'] },
      );
      taken.forEach(id => claimed.add(id));
    }
    for (const { f } of chunk) f.traceUnsaved = false;
    // Another dispatcher took the others (a job run twice): they are its to send.
    const mine = chunk.filter(c => claimed.has(c.f.message.id));
    if (!mine.length) return [];

    const result = await sendChunk(
      provider,
      live.adapter,
      live.conn,
      mine.map(c => c.outbound),
      { now: this.now, concurrency: this.perMessageConcurrency },
    );
    const settlement = newSettlement();
    const onwards: InFlight[] = [];
    mine.forEach(({ f }, i) => {
      const next = this.settleItem(
        provider,
        f,
        result.items[i],
        config,
        settlement,
      );
      if (next) onwards.push(next);
    });
    await this.commit(settlement);
    await this.tell(result.requests, settlement);
    return onwards;
  }

  /** What one message's outcome writes; the message itself when it fails over now. */
  private settleItem(
    provider: ConfigurableProviderId,
    f: InFlight,
    item: ChunkItemOutcome,
    config: RoutingConfig,
    s: Settlement,
  ): InFlight | undefined {
    const messageId = f.message.id;
    const attempt = {
      messageId,
      provider,
      startedAt: item.startedAt,
      durationMs: item.durationMs,
    };
    if (item.ok) {
      s.attempts.push({ ...attempt, outcome: 'sent' });
      s.sent.push({ id: messageId, providerMessageId: item.receipt.messageId });
      return undefined;
    }
    const { failure } = item;
    if (failure.outcomeUnknown) {
      s.attempts.push({
        ...attempt,
        outcome: 'unknown',
        errorClass: failure.errorClass,
        error: failure.message,
      });
      addUpdate(s, 'unknown', unknownReason(failure, provider), messageId);
      s.unknown.push({ messageId, provider, startedAt: item.startedAt });
      return undefined;
    }
    s.attempts.push({
      ...attempt,
      outcome: 'failed',
      errorClass: failure.errorClass,
      error: failure.message,
    });
    const remainingChain = f.route.slice(f.route.indexOf(provider) + 1);
    const step = nextStepAfterError(
      {
        errorClass: failure.errorClass,
        attempt: triesOn(f.attempts, provider) + 1,
        retryAfterSeconds: failure.retryAfterSeconds,
        remainingChain,
        provider,
      },
      config,
    );
    f.attempts.push({ provider });
    if (step.kind === 'fail') {
      addUpdate(
        s,
        'failed',
        `${asSentence(failure.message)} ${step.message}`,
        messageId,
      );
      return undefined;
    }
    if (step.kind === 'failover') {
      addUpdate(s, 'queued', step.message, messageId, step.provider);
      return { ...f, provider: step.provider };
    }
    addUpdate(s, 'queued', step.message, messageId);
    const delayMs = step.delaySeconds * 1000;
    s.retries.set(delayMs, [...(s.retries.get(delayMs) ?? []), messageId]);
    return undefined;
  }

  /** A chunk's outcomes, attempts and retry jobs land together or not at all. */
  private async commit(s: Settlement): Promise<void> {
    const worker = this.worker;
    if (s.retries.size && !worker) {
      throw new Error('The dispatcher is not registered on a worker');
    }
    const now = this.now().getTime();
    await this.store.inTransaction(async (tx: Knex.Transaction) => {
      await this.store.addAttempts(s.attempts, tx);
      if (s.sent.length) {
        const provider = s.attempts[0].provider;
        await this.store.markSentMany(provider, s.sent, tx);
      }
      for (const u of s.updates.values()) {
        await this.store.updateMany(
          u.ids,
          {
            status: u.status,
            reason: u.reason,
            ...(u.provider ? { provider: u.provider } : {}),
          },
          { onlyIf: ['sending'], tx },
        );
      }
      for (const [delayMs, ids] of s.retries) {
        // The error table bounds the retries (the attempts on record say
        // how many were made); the new job is the wait.
        await worker!.enqueueMany(sendJobsFor(ids, new Date(now + delayMs)), {
          transaction: tx,
        });
      }
    });
  }

  /** After the commit: the health hook hears of each request, the reconciler of each unknown. */
  private async tell(requests: AttemptReport[], s: Settlement): Promise<void> {
    // Told all at once: the health observer writes reports arriving together in one go.
    await Promise.all(
      requests.map(report => this.observer.attemptFinished(report)),
    );
    for (const u of s.updates.values()) {
      this.logger[u.status === 'unknown' ? 'warn' : 'info'](
        `${u.ids.length} message(s) ${u.status}: ${u.reason}`,
      );
    }
    for (const check of s.unknown) {
      await this.reconciler.outcomeUnknown(check);
    }
  }

  /**
   * Messages a provider cannot take (not configured, disabled, no sender):
   * nothing was sent, so their route goes on at once, or ends with the reason.
   */
  private async notUsable(
    items: Array<{ f: InFlight; why: string }>,
    config: RoutingConfig,
  ): Promise<InFlight[]> {
    if (!items.length) return [];
    const s = newSettlement();
    const onwards: InFlight[] = [];
    const startedAt = this.now();
    for (const { f, why } of items) {
      s.attempts.push({
        messageId: f.message.id,
        provider: f.provider,
        startedAt,
        durationMs: 0,
        outcome: 'failed',
        error: why,
      });
      const next = f.route[f.route.indexOf(f.provider) + 1];
      if (!config.failover.enabled || !next) {
        addUpdate(
          s,
          'failed',
          `${why}; no other provider can take it over.`,
          f.message.id,
          f.provider,
          f.traceUnsaved ? f.decision : undefined,
        );
      } else {
        onwards.push({ ...f, provider: next });
      }
    }
    await this.store.inTransaction(async tx => {
      await this.store.addAttempts(s.attempts, tx);
      for (const u of s.updates.values()) {
        await this.store.updateMany(
          u.ids,
          {
            status: 'failed',
            reason: u.reason,
            provider: u.provider,
            ...(u.trace ? { trace: u.trace } : {}),
          },
          { onlyIf: ['queued'], tx },
        );
      }
    });
    return onwards;
  }

  private routingMessage(message: StoredMessage): RoutingMessage {
    const { content } = message;
    return {
      emailType: message.emailType,
      ...(message.customType ? { customType: message.customType } : {}),
      subject: content.subject,
      to: [...content.to, ...content.cc, ...content.bcc],
      tags: message.tags,
      recipientCount:
        content.to.length + content.cc.length + content.bcc.length,
      sendAt: this.now(),
    };
  }

  /** The provider's live connection, or why it cannot send now. */
  private async liveConnection(
    provider: ConfigurableProviderId,
  ): Promise<LiveConnection | string> {
    const name = routingProviderName(provider);
    try {
      const live = await this.connections.sendingConnection(provider);
      if (!live) return `${name} is not configured`;
      if (!live.stored.enabled) return `${name} is disabled`;
      return live;
    } catch (error) {
      // Undecryptable credentials, or no adapter on this backend.
      return `${name} cannot be used: ${(error as Error).message}`;
    }
  }
}

function newSettlement(): Settlement {
  return {
    attempts: [],
    sent: [],
    updates: new Map(),
    retries: new Map(),
    unknown: [],
  };
}

function addUpdate(
  s: Settlement,
  status: 'failed' | 'unknown' | 'queued',
  reason: string,
  messageId: string,
  provider?: string,
  trace?: RoutingDecision,
): void {
  const key = JSON.stringify([status, reason, provider ?? null, trace ?? null]);
  const entry = s.updates.get(key) ?? {
    ids: [],
    status,
    reason,
    ...(provider ? { provider } : {}),
    ...(trace ? { trace } : {}),
  };
  entry.ids.push(messageId);
  s.updates.set(key, entry);
}

function unknownReason(failure: ClassifiedSendError, provider: string): string {
  return `${failure.message}: whether ${routingProviderName(
    provider as ConfigurableProviderId,
  )} accepted the message is unknown, so it is not sent again blindly.`;
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
