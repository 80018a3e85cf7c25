import type {
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { Clock } from '../queue/Clock';
import type { JobQueue } from '../queue/JobQueue';
import { JobWorker, JobWorkerOptions } from '../queue/JobWorker';
import { DatabaseWebhookEventStore } from './DatabaseWebhookEventStore';
import { EventSignals } from './EventSignals';
import { readWebhookConfig } from './readWebhookConfig';
import { RejectionAlerts } from './RejectionAlerts';
import type { WebhookEventProcessor } from './WebhookEventProcessor';
import { WEBHOOK_QUEUE, WebhookProcessing } from './WebhookProcessing';
import { WebhookReceiver } from './WebhookReceiver';
import type { WebhookSecrets } from './WebhookSecrets';
import { WebhookVerifier } from './WebhookVerifier';

export type WebhookIngestOptions = {
  database: DatabaseService;
  jobQueue: JobQueue;
  config: Config;
  logger: LoggerService;
  clock?: Clock;
  /** The admins' alert about refused webhooks; only logged without it. */
  notifications?: NotificationService;
  /** Open webhooks pages hear of new events; none are told without it. */
  signals?: SignalsService;
  /**
   * The webhook credentials and signing key (the providers' settings).
   * Without them nothing could be verified: the receivers are not served.
   */
  secrets?: WebhookSecrets;
  /**
   * What processing an event means (the processing slice). Without it
   * events are stored and their jobs wait, and no worker runs.
   */
  processor?: WebhookEventProcessor;
  /** Timing of the processing worker. */
  worker?: Omit<JobWorkerOptions, 'queue' | 'queueName' | 'logger'>;
};

/** The webhook ingest graph: event store, receiver, processing jobs. Nothing is started. */
export async function createWebhookIngest(options: WebhookIngestOptions) {
  const { database, jobQueue, config, clock } = options;
  const logger = options.logger.child({ component: 'webhooks' });
  const webhookStore = await DatabaseWebhookEventStore.create({
    database,
    now: clock,
  });
  const webhookProcessing = new WebhookProcessing({
    store: webhookStore,
    queue: jobQueue,
  });
  const webhookSignals = options.signals
    ? new EventSignals({ signals: options.signals, config, logger })
    : undefined;
  const webhookReceiver = options.secrets
    ? new WebhookReceiver({
        store: webhookStore,
        verifier: new WebhookVerifier({
          secrets: options.secrets,
          config: readWebhookConfig(config),
          now: clock,
        }),
        processing: webhookProcessing,
        alerts: new RejectionAlerts({
          store: webhookStore,
          logger,
          config,
          notifications: options.notifications,
          now: clock,
        }),
        signals: webhookSignals,
        logger,
        now: clock,
      })
    : undefined;
  let webhookWorker: JobWorker | undefined;
  if (options.processor) {
    webhookWorker = new JobWorker({
      clock,
      ...options.worker,
      queue: jobQueue,
      queueName: WEBHOOK_QUEUE,
      logger: logger.child({ queue: WEBHOOK_QUEUE }),
    });
    webhookProcessing.register(webhookWorker, options.processor);
  }
  return {
    webhookStore,
    webhookProcessing,
    webhookReceiver,
    webhookWorker,
    webhookSignals,
  };
}
