import type {
  DomainDetailView,
  DomainListView,
  DomainView,
  MessageStream,
  NormalizedEvent,
} from '@internal/plugin-esp-common';
import { AsyncLocalStorage } from 'node:async_hooks';
import * as postmark from 'postmark';
import { ProviderError } from '../errors';
import {
  AcceptanceCheck,
  AcceptanceQuery,
  BatchItemResult,
  CredentialCheck,
  OutboundMessage,
  ProviderAdapter,
  ProviderCapabilities,
  ProviderConnection,
  SendReceipt,
  SenderCheck,
  ESP_MESSAGE_ID_KEY,
  ProviderSuppression,
  WebhookRegistration,
  WebhookRequest,
} from '../types';
import { postmarkTriggers } from './postmarkWebhookTriggers';
import {
  parseDomainId,
  toDomainDetailView,
  toDomainView,
} from './postmarkDomains';
import { toProviderError } from './postmarkErrors';
import { normalizePostmarkEvents } from './postmarkEvents';
import { verifyPostmarkWebhook } from './postmarkWebhooks';

/** What every Postmark call takes, built by the Postmark profile. */
export type PostmarkConnection = ProviderConnection & {
  /** Sends mail and reads the server's settings. */
  serverToken: string;
  /** Manages domains and sender signatures; optional. */
  accountToken?: string;
  /** Base URL of Postmark's API, from app-config (proxies, tests, sandbox). */
  baseUrl: string;
  /** The message stream mail goes out through. */
  messageStream: string;
};

const NO_ACCOUNT_TOKEN =
  "Add an account token to manage domains: domains and sender signatures can only be managed with Postmark's account token.";

// Postmark's documented maximum for POST /email/batch.
const BATCH_LIMIT = 500;
// Enough for any real server's domains; the API pages at 500.
const PAGE = { count: 500, offset: 0 };

function clientOptions(conn: PostmarkConnection) {
  const url = new URL(conn.baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  return {
    requestHost: `${url.host}${path}`,
    useHttps: url.protocol === 'https:',
    timeout: conn.timeoutSeconds,
  };
}

// Postmark keeps a single tag per message; a second one would be dropped
// without a word, so a message with more is refused instead.
const ONE_TAG_ONLY =
  'Tags: Postmark keeps one tag per message; send a single tag';

function tooManyTags(message: OutboundMessage): boolean {
  return (message.tags?.length ?? 0) > 1;
}

function toPostmarkMessage(
  message: OutboundMessage,
  stream: string,
): postmark.Models.Message {
  return {
    From: message.from,
    To: message.to,
    Subject: message.subject,
    TextBody: message.text,
    HtmlBody: message.html,
    Tag: message.tags?.[0],
    MessageStream: stream,
    TrackOpens: message.trackOpens,
    TrackLinks: linkTracking(message.trackLinks),
    Metadata: message.metadata,
    ...(message.cc?.length ? { Cc: message.cc.join(', ') } : {}),
    ...(message.bcc?.length ? { Bcc: message.bcc.join(', ') } : {}),
    ...(message.replyTo ? { ReplyTo: message.replyTo } : {}),
    ...(message.headers && Object.keys(message.headers).length
      ? {
          Headers: Object.entries(message.headers).map(([Name, Value]) => ({
            Name,
            Value,
          })),
        }
      : {}),
    ...(message.attachments?.length
      ? {
          Attachments: message.attachments.map(a => ({
            Name: a.filename,
            Content: a.content,
            ContentType: a.contentType,
            ContentID: null,
          })),
        }
      : {}),
  };
}

function linkTracking(trackLinks: boolean | undefined) {
  if (trackLinks === undefined) return undefined;
  return trackLinks
    ? postmark.Models.LinkTrackingOptions.HtmlAndText
    : postmark.Models.LinkTrackingOptions.None;
}

/**
 * The SDK builds its errors from the answer's body only, so a rate limit's
 * `Retry-After` header would be lost: each client's HTTP layer notes it in the
 * store of the `call` it runs under.
 */
const answerHeaders = new AsyncLocalStorage<{ retryAfter?: string }>();

type AxiosLikeError = { response?: { headers?: Record<string, unknown> } };
type WithHttpClient = {
  httpClient: {
    client?: {
      interceptors: {
        response: {
          use(ok: undefined, failed: (error: AxiosLikeError) => unknown): void;
        };
      };
    };
  };
};

function noteRetryAfter<C>(client: C): C {
  (
    client as unknown as WithHttpClient
  ).httpClient.client?.interceptors.response.use(undefined, error => {
    const value = error?.response?.headers?.['retry-after'];
    const noted = answerHeaders.getStore();
    if (noted && typeof value === 'string') noted.retryAfter = value;
    return Promise.reject(error);
  });
  return client;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  const noted: { retryAfter?: string } = {};
  try {
    return await answerHeaders.run(noted, fn);
  } catch (error) {
    throw toProviderError(error, noted.retryAfter);
  }
}

function throwFailedSuppression(
  statuses: Array<{ EmailAddress: string; Status: string; Message: string }>,
) {
  const failed = statuses.find(s => s.Status === 'Failed');
  if (failed) {
    throw new ProviderError(
      'rejected',
      failed.Message || `Postmark refused ${failed.EmailAddress}`,
    );
  }
}

/** Postmark over its official SDK. Stateless: clients are built per call from the connection. */
export class PostmarkAdapter implements ProviderAdapter<PostmarkConnection> {
  readonly id = 'postmark' as const;
  readonly displayName = 'Postmark';
  readonly capabilities: ProviderCapabilities = {
    batchLimit: BATCH_LIMIT,
    batchEndpoint: true,
    domainManagement: true,
  };

  private server(conn: PostmarkConnection) {
    return noteRetryAfter(
      new postmark.ServerClient(conn.serverToken, clientOptions(conn)),
    );
  }

  private account(conn: PostmarkConnection) {
    if (!conn.accountToken) {
      throw new ProviderError('forbidden', NO_ACCOUNT_TOKEN);
    }
    return noteRetryAfter(
      new postmark.AccountClient(conn.accountToken, clientOptions(conn)),
    );
  }

  async verifyCredentials(conn: PostmarkConnection): Promise<CredentialCheck> {
    const server = await call(() => this.server(conn).getServer());
    return { accountName: server.Name };
  }

  async sendEmail(
    conn: PostmarkConnection,
    message: OutboundMessage,
  ): Promise<SendReceipt> {
    if (tooManyTags(message)) {
      throw new ProviderError('rejected', ONE_TAG_ONLY);
    }
    const result = await call(() =>
      this.server(conn).sendEmail(
        toPostmarkMessage(message, conn.messageStream),
      ),
    );
    if (result.ErrorCode !== 0) {
      throw new ProviderError('rejected', result.Message, {
        providerCode: result.ErrorCode,
      });
    }
    return { messageId: result.MessageID, submittedAt: result.SubmittedAt };
  }

  /** One call to /email/batch; Postmark answers 200 with a result per message, in order. */
  async sendBatch(
    conn: PostmarkConnection,
    messages: OutboundMessage[],
  ): Promise<BatchItemResult[]> {
    if (messages.length > BATCH_LIMIT) {
      throw new ProviderError(
        'rejected',
        `A batch holds at most ${BATCH_LIMIT} messages`,
      );
    }
    // A message with more than one tag is refused in its place; the rest go.
    const sendable = messages.filter(m => !tooManyTags(m));
    const results = sendable.length
      ? await call(() =>
          this.server(conn).sendEmailBatch(
            sendable.map(m => toPostmarkMessage(m, conn.messageStream)),
          ),
        )
      : [];
    let next = 0;
    return messages.map((m): BatchItemResult => {
      if (tooManyTags(m)) {
        return {
          ok: false,
          error: { kind: 'rejected', message: ONE_TAG_ONLY },
        };
      }
      const r = results[next++];
      return r.ErrorCode === 0
        ? {
            ok: true,
            receipt: { messageId: r.MessageID, submittedAt: r.SubmittedAt },
          }
        : {
            ok: false,
            error: {
              kind: 'rejected',
              message: r.Message,
              providerCode: r.ErrorCode,
            },
          };
    });
  }

  /**
   * Postmark's outbound message search (Messages API, `GET
   * /messages/outbound`, server token): `count` (at most 500) and `offset`
   * are required, `metadata_<key>=<value>` filters by one metadata field, and
   * `messagestream` by stream (the message went out through the
   * connection's). The answer is `{ TotalCount, Messages: [{ MessageID,
   * Metadata, Status, … }] }`, newest first; every status it lists (queued,
   * sent, processed) means Postmark took the message. The SDK's
   * getOutboundMessages passes any extra filter field through as a query
   * parameter. No date filter: the id is unique, and Postmark reads
   * `fromdate` in US Eastern time, which would only add a way to miss it.
   */
  async findAccepted(
    conn: PostmarkConnection,
    query: AcceptanceQuery,
  ): Promise<AcceptanceCheck> {
    const { Messages } = await call(() =>
      this.server(conn).getOutboundMessages({
        count: 10,
        offset: 0,
        messageStream: conn.messageStream,
        [`metadata_${ESP_MESSAGE_ID_KEY}`]: query.espMessageId,
      }),
    );
    const match = Messages.find(
      m => m.Metadata?.[ESP_MESSAGE_ID_KEY] === query.espMessageId,
    );
    return match
      ? { found: true, providerMessageId: match.MessageID }
      : { found: false };
  }

  /**
   * Postmark's webhooks API (server token, per message stream): `GET
   * /webhooks?MessageStream=` lists the stream's webhooks; ESP Hub's is the
   * one whose `Url` is the receiver's, updated with `PUT /webhooks/{id}`
   * (Url, HttpAuth, HttpHeaders, Triggers) or created with `POST /webhooks`.
   * With nothing subscribed it is deleted, so Postmark stops posting.
   */
  async registerWebhooks(
    conn: PostmarkConnection,
    registration: WebhookRegistration,
  ): Promise<void> {
    const server = this.server(conn);
    const { Webhooks } = await call(() =>
      server.getWebhooks({ messageStream: conn.messageStream }),
    );
    const ours = Webhooks.find(
      w => w.Url === registration.url && w.MessageStream === conn.messageStream,
    );
    if (registration.subscriptions.length === 0) {
      if (ours) await call(() => server.deleteWebhook(ours.ID));
      return;
    }
    const { auth } = registration;
    const request = {
      Url: registration.url,
      Triggers: postmarkTriggers(registration.subscriptions),
      ...(auth
        ? {
            HttpAuth: { Username: auth.username, Password: auth.password },
            HttpHeaders: auth.header
              ? [{ Name: auth.header.name, Value: auth.header.value }]
              : [],
          }
        : {}),
    };
    if (ours) {
      await call(() => server.editWebhook(ours.ID, request));
    } else {
      await call(() =>
        server.createWebhook({
          ...request,
          MessageStream: conn.messageStream,
        }),
      );
    }
  }

  /**
   * Postmark's suppressions API of the connection's stream: `POST
   * /message-streams/{stream}/suppressions` with `{ Suppressions: [{
   * EmailAddress }] }`. Postmark records them as manual suppressions, whatever
   * the kind; each address answers its own Status (Failed: with a Message).
   */
  async addSuppression(
    conn: PostmarkConnection,
    entry: ProviderSuppression,
  ): Promise<void> {
    const { Suppressions } = await call(() =>
      this.server(conn).createSuppressions(conn.messageStream, {
        Suppressions: [{ EmailAddress: entry.address }],
      }),
    );
    throwFailedSuppression(Suppressions);
  }

  /** `POST /message-streams/{stream}/suppressions/delete`, the same body. */
  async removeSuppression(
    conn: PostmarkConnection,
    address: string,
  ): Promise<void> {
    const { Suppressions } = await call(() =>
      this.server(conn).deleteSuppressions(conn.messageStream, {
        Suppressions: [{ EmailAddress: address }],
      }),
    );
    throwFailedSuppression(Suppressions);
  }

  verifyWebhook(request: WebhookRequest, credentials: string): boolean {
    return verifyPostmarkWebhook(request, credentials);
  }

  normalizeEvents(payload: unknown): NormalizedEvent[] {
    return normalizePostmarkEvents(payload);
  }

  async listMessageStreams(conn: PostmarkConnection): Promise<MessageStream[]> {
    const { MessageStreams } = await call(() =>
      this.server(conn).getMessageStreams(),
    );
    return MessageStreams.filter(s => !s.ArchivedAt).map(s => ({
      id: s.ID,
      name: s.Name,
      type: s.MessageStreamType,
    }));
  }

  async checkSender(
    conn: PostmarkConnection,
    address: string,
  ): Promise<SenderCheck> {
    if (!conn.accountToken) {
      return {
        status: 'unknown',
        detail:
          'Add an account token to check the sender: Postmark only lists sender signatures and domains to account tokens.',
      };
    }
    const account = this.account(conn);
    const wanted = address.toLocaleLowerCase('en-US');
    const domainName = wanted.split('@').pop() ?? '';
    const [signatures, domains] = await call(() =>
      Promise.all([
        account.getSenderSignatures(PAGE),
        account.getDomains(PAGE),
      ]),
    );
    const signature = signatures.SenderSignatures.find(
      s => s.EmailAddress.toLocaleLowerCase('en-US') === wanted,
    );
    if (signature?.Confirmed) {
      return { status: 'verified', detail: null };
    }
    const domain = domains.Domains.find(
      d => d.Name.toLocaleLowerCase('en-US') === domainName,
    );
    if (domain?.DKIMVerified) {
      return { status: 'verified', detail: null };
    }
    if (signature) {
      return {
        status: 'unverified',
        detail: `The sender signature for ${address} is not confirmed yet.`,
      };
    }
    return {
      status: 'unverified',
      detail: domain
        ? `The domain ${domainName} is added but its DKIM record is not verified yet.`
        : `Neither ${address} nor the domain ${domainName} is verified in Postmark.`,
    };
  }

  async listDomains(conn: PostmarkConnection): Promise<DomainListView> {
    if (!conn.accountToken) {
      return { available: false, reason: NO_ACCOUNT_TOKEN, domains: [] };
    }
    const account = this.account(conn);
    const { Domains } = await call(() => account.getDomains(PAGE));
    return {
      available: true,
      reason: null,
      domains: Domains.map(toDomainView),
    };
  }

  async getDomain(
    conn: PostmarkConnection,
    domainId: string,
  ): Promise<DomainDetailView> {
    const id = this.domainId(domainId);
    const account = this.account(conn);
    return toDomainDetailView(await call(() => account.getDomain(id)));
  }

  async addDomain(
    conn: PostmarkConnection,
    name: string,
  ): Promise<DomainDetailView> {
    const account = this.account(conn);
    return toDomainDetailView(
      await call(() => account.createDomain({ Name: name })),
    );
  }

  async verifyDomain(
    conn: PostmarkConnection,
    domainId: string,
  ): Promise<DomainView> {
    const id = this.domainId(domainId);
    const account = this.account(conn);
    // Both checks run on Postmark's side; the second answer holds both results.
    await call(() => account.verifyDomainDKIM(id));
    return toDomainView(await call(() => account.verifyDomainReturnPath(id)));
  }

  async removeDomain(
    conn: PostmarkConnection,
    domainId: string,
  ): Promise<void> {
    const id = this.domainId(domainId);
    const account = this.account(conn);
    await call(() => account.deleteDomain(id));
  }

  private domainId(domainId: string): number {
    const id = parseDomainId(domainId);
    if (id === undefined) {
      throw new ProviderError('not_found', `Unknown domain '${domainId}'`);
    }
    return id;
  }
}
