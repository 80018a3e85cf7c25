/**
 * Send email through ESP Hub from another backend plugin.
 *
 * @packageDocumentation
 */

export { espMessagesServiceRef } from './espMessagesServiceRef';
export { EspMessagesClient } from './EspMessagesClient';
export type {
  EspCallOptions,
  EspMessagesService,
  EspSendOptions,
} from './EspMessagesClient';
export type {
  MessageView,
  SendMessageInput,
  SendMessagesResult,
} from '@internal/plugin-esp-common';
