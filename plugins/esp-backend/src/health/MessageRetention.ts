import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { DatabaseMessageRetention } from '../database/DatabaseMessageRetention';
import type { MessageStore } from '../database/MessageStore';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The send API's promise: the same Idempotency-Key answers the same for 24 hours. */
const IDEMPOTENCY_MS = DAY_MS;

/**
 * The message log's retention: once a day, on one replica (a global task),
 * messages older than `esp.messages.retentionDays` are deleted with their
 * attempts, and idempotency answers past their 24 hours.
 */
export class MessageRetention {
  constructor(
    private readonly options: {
      store: DatabaseMessageRetention;
      /** Where the idempotency answers are. */
      answers: Pick<MessageStore, 'purgeAnswers'>;
      retentionDays: number;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async run(): Promise<{ messages: number; idempotencyAnswers: number }> {
    const now = (this.options.now ?? (() => new Date()))();
    const messages = await this.options.store.deleteMessagesCreatedBefore(
      new Date(now.getTime() - this.options.retentionDays * DAY_MS),
    );
    const idempotencyAnswers = await this.options.answers.purgeAnswers(
      new Date(now.getTime() - IDEMPOTENCY_MS),
    );
    if (messages || idempotencyAnswers) {
      this.options.logger.info(
        `Retention: deleted ${messages} messages older than ${this.options.retentionDays} days and ${idempotencyAnswers} expired idempotency answers`,
      );
    }
    return { messages, idempotencyAnswers };
  }

  /** Daily, on one replica at a time; the first run a few minutes after start. */
  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'esp-message-retention',
      scope: 'global',
      frequency: { hours: 24 },
      timeout: { hours: 1 },
      initialDelay: { minutes: 5 },
      fn: async () => {
        await this.run();
      },
    });
  }
}
