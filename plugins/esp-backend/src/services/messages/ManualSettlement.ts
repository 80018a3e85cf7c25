import { ConflictError, NotFoundError } from '@backstage/errors';
import type { MarkSentInput, MessageView } from '@internal/plugin-esp-common';
import type { MessageStore } from '../../database/MessageStore';
import type { MessageService } from './MessageService';

export type ManualSettlementOptions = {
  store: MessageStore;
  messages: Pick<MessageService, 'requeue' | 'get'>;
};

/**
 * What an admin does with a message whose send outcome is `unknown` once
 * they checked with the provider: send it again, or mark it sent. Both are a
 * compare-and-set on the `unknown` status, so a message the reconciler (or
 * another admin) settled meanwhile is refused with a 409, never changed twice.
 */
export class ManualSettlement {
  private readonly store: MessageStore;
  private readonly messages: ManualSettlementOptions['messages'];

  constructor(options: ManualSettlementOptions) {
    this.store = options.store;
    this.messages = options.messages;
  }

  /** unknown → queued again, with a send job. */
  async resend(id: string, actor: string): Promise<MessageView> {
    await this.requireUnknown(id, 'resent');
    const [queued] = await this.messages.requeue([id], {
      reason: `Sent again by ${actor} after checking with the provider.`,
      onlyFrom: 'unknown',
    });
    if (!queued) await this.changedMeanwhile(id, 'resent');
    await this.store.settleUnknownAttempt(id, {
      outcome: 'failed',
      note: `Whether the provider accepted it was unknown; ${actor} had it sent again.`,
    });
    return this.messages.get(id);
  }

  /** unknown → sent, with the provider's message id when the admin has it. */
  async markSent(
    id: string,
    input: MarkSentInput,
    actor: string,
  ): Promise<MessageView> {
    await this.requireUnknown(id, 'marked sent');
    const settled = await this.store.updateIf(id, 'unknown', {
      status: 'sent',
      ...(input.providerMessageId
        ? { providerMessageId: input.providerMessageId }
        : {}),
      reason: `Marked sent by ${actor} after checking with the provider.`,
    });
    if (!settled) await this.changedMeanwhile(id, 'marked sent');
    await this.store.settleUnknownAttempt(id, {
      outcome: 'sent',
      note: `Whether the provider accepted it was unknown; ${actor} marked it sent.`,
    });
    return this.messages.get(id);
  }

  /** The compare-and-set lost a race: a 409 either way. */
  private async changedMeanwhile(id: string, action: string): Promise<never> {
    await this.requireUnknown(id, action);
    throw new ConflictError(
      `Message ${id} changed while it was being ${action}; reload it and try again.`,
    );
  }

  /** 404 for an unknown id, 409 naming the status for a message not `unknown`. */
  private async requireUnknown(id: string, action: string): Promise<void> {
    const message = await this.store.get(id);
    if (!message) throw new NotFoundError(`There is no message ${id}`);
    if (message.status !== 'unknown') {
      throw new ConflictError(
        `Message ${id} is ${message.status}: only a message whose outcome is unknown can be ${action}.`,
      );
    }
  }
}
