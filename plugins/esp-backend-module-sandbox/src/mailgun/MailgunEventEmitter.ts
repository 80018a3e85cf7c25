import {
  EventPlanner,
  PlannedEvent,
  SandboxEventOptions,
} from '../events/eventPlan';
import { postWebhook } from '../events/postWebhook';
import { mailgunEventBody, mailgunWebhookIdOf } from './mailgunEvents';
import type {
  MailgunSandboxMessage,
  MailgunSandboxState,
} from './MailgunSandboxState';

/** One webhook POST the stand-in made. */
export type MailgunPostedWebhook = {
  url: string;
  webhookId: string;
  recipient: string;
  status: number | 'unreachable';
  attempts: number;
};

/**
 * Posts, for each message the Mailgun stand-in accepted, the events Mailgun
 * would, to the urls of the sending domain's webhooks, signed with the
 * account's HTTP webhook signing key.
 */
export class MailgunEventEmitter {
  private readonly planner: EventPlanner;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly posted: MailgunPostedWebhook[] = [];

  constructor(
    private readonly state: MailgunSandboxState,
    private readonly options: SandboxEventOptions,
  ) {
    this.planner = new EventPlanner(options);
  }

  accepted(message: MailgunSandboxMessage): void {
    // Test mode is accepted and never delivered: Mailgun posts nothing for it.
    if (message.options.testmode === 'yes') return;
    for (const recipient of message.to
      .flatMap(entry => entry.split(','))
      .map(a => (a.match(/<([^>]+)>/)?.[1] ?? a).trim())) {
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
    event: PlannedEvent,
    message: MailgunSandboxMessage,
    recipient: string,
  ) {
    const webhookId = mailgunWebhookIdOf(event);
    const urls = this.state.webhooks.get(message.domain)?.get(webhookId) ?? [];
    await Promise.all(
      urls.map(async url => {
        // Signed per attempt batch: a fresh token, as Mailgun's are per delivery.
        const body = mailgunEventBody(
          event,
          message,
          recipient,
          this.state.httpSigningKey,
          new Date(),
        );
        let attempts = 0;
        const status = await postWebhook(
          url,
          body,
          {},
          this.options,
          (_s, n) => {
            attempts = n;
          },
        );
        this.posted.push({ url, webhookId, recipient, status, attempts });
      }),
    );
  }
}
