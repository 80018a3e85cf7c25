import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  MAX_MESSAGES_PER_REQUEST,
  MessageView,
  SendMessageInput,
  SendMessagesResult,
} from '@internal/plugin-esp-common';

/** @public */
export type EspCallOptions = {
  /**
   * Whose call it is: the calling plugin's own service credentials when left
   * out. Pass a user's credentials to send on their behalf (the portal's
   * permission policy then decides whether they may).
   */
  credentials?: BackstageCredentials;
};

/** @public */
export type EspSendOptions = EspCallOptions & {
  /**
   * Sent as the `Idempotency-Key` header: the same key with the same messages
   * within 24 hours answers the first answer again and queues nothing twice,
   * so a caller that lost the answer may simply call again.
   */
  idempotencyKey?: string;
};

/**
 * What a backend plugin uses to send email through ESP Hub.
 * @public
 */
export interface EspMessagesService {
  /**
   * Hands one message, or up to 500, to ESP Hub. Resolves once they are
   * stored (not yet sent) with one id and status per message, in order; the
   * routing picks the provider. Throws a ResponseError carrying the API's
   * message (e.g. a 400 naming the message index and field; nothing is
   * stored then).
   */
  send(
    messages: SendMessageInput | SendMessageInput[],
    options?: EspSendOptions,
  ): Promise<SendMessagesResult>;

  /** A message's status, provider, attempts and routing trace. */
  get(id: string, options?: EspCallOptions): Promise<MessageView>;
}

/**
 * ESP Hub's send API over HTTP, found through the discovery service and
 * called with a service token for the `esp` plugin.
 * @public
 */
export class EspMessagesClient implements EspMessagesService {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly fetch: typeof fetch;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    fetch?: typeof fetch;
  }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async send(
    messages: SendMessageInput | SendMessageInput[],
    options: EspSendOptions = {},
  ): Promise<SendMessagesResult> {
    const list = Array.isArray(messages) ? messages : [messages];
    if (list.length === 0) {
      throw new InputError('Give at least one message to send.');
    }
    // Checked here too, so that a caller learns it before anything travels.
    if (list.length > MAX_MESSAGES_PER_REQUEST) {
      throw new InputError(
        `ESP Hub takes at most ${MAX_MESSAGES_PER_REQUEST} messages per call; got ${list.length}. Split them into several calls.`,
      );
    }
    return this.call<SendMessagesResult>('/messages', options, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.idempotencyKey
          ? { 'Idempotency-Key': options.idempotencyKey }
          : {}),
      },
      body: JSON.stringify({ messages: list }),
    });
  }

  async get(id: string, options: EspCallOptions = {}): Promise<MessageView> {
    return this.call<MessageView>(
      `/messages/${encodeURIComponent(id)}`,
      options,
      { method: 'GET' },
    );
  }

  private async call<T>(
    path: string,
    options: EspCallOptions,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<T> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf:
        options.credentials ?? (await this.auth.getOwnServiceCredentials()),
      targetPluginId: 'esp',
    });
    const baseUrl = await this.discovery.getBaseUrl('esp');
    const response = await this.fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
