import type { StoredMessage } from '../database/MessageStore';
import type { OutboundMessage } from '../providers/types';
import type { LiveConnection } from '../services/ProviderConnections';

/** The message as the provider's adapter takes it, or why this provider cannot send it. */
export function outboundMessage(
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
