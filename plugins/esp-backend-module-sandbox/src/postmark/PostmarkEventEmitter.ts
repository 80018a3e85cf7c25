import { EventPlanner, SandboxEventOptions } from '../events/eventPlan';
import { basicAuthOf, postWebhook } from '../events/postWebhook';
import { POSTMARK_TRIGGER_OF, postmarkEventBody } from './postmarkEvents';
import type {
  PostmarkSandboxState,
  SandboxMessage,
} from './PostmarkSandboxState';

/** One webhook POST the stand-in made, for tests and the developer. */
export type PostedWebhook = {
  url: string;
  recordType: string;
  recipient: string;
  status: number | 'unreachable';
  attempts: number;
};

/**
 * Posts, for each message the Postmark stand-in accepted, the events Postmark
 * would, to the webhooks registered for the message's stream with that
 * trigger on, with their Basic credentials and custom headers.
 */
export class PostmarkEventEmitter {
  private readonly planner: EventPlanner;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly posted: PostedWebhook[] = [];

  constructor(
    private readonly state: PostmarkSandboxState,
    private readonly options: SandboxEventOptions,
  ) {
    this.planner = new EventPlanner(options);
  }

  accepted(message: SandboxMessage): void {
    for (const recipient of message.To.split(',').map(a =>
      (a.match(/<([^>]+)>/)?.[1] ?? a).trim(),
    )) {
      for (const event of this.planner.plan()) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void this.post(event, message, recipient);
        }, event.atMs);
        timer.unref?.();
        this.timers.add(timer);
      }
    }
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async post(
    event: Parameters<typeof postmarkEventBody>[0],
    message: SandboxMessage,
    recipient: string,
  ) {
    const trigger = POSTMARK_TRIGGER_OF[event.kind];
    const hooks = this.state.webhooks.filter(
      w =>
        w.MessageStream === message.MessageStream &&
        w.Triggers[trigger].Enabled,
    );
    const body = postmarkEventBody(event, message, recipient, new Date());
    await Promise.all(
      hooks.map(async hook => {
        const headers = {
          ...basicAuthOf(hook.HttpAuth?.Username, hook.HttpAuth?.Password),
          ...Object.fromEntries(hook.HttpHeaders.map(h => [h.Name, h.Value])),
        };
        let attempts = 0;
        const status = await postWebhook(
          hook.Url,
          body,
          headers,
          this.options,
          (_s, n) => {
            attempts = n;
          },
        );
        this.posted.push({
          url: hook.Url,
          recordType: String(body.RecordType),
          recipient,
          status,
          attempts,
        });
      }),
    );
  }
}
