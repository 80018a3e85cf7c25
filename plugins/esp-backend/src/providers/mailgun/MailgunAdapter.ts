import type {
  MailgunRegion,
  DomainDetailView,
  DomainListView,
  DomainView,
  NormalizedEvent,
} from '@internal/plugin-esp-common';
import FormData from 'form-data';
import Mailgun from 'mailgun.js';
import { ProviderError } from '../errors';
import { sendEachInTurn } from '../sendEachInTurn';
import {
  AcceptanceCheck,
  AcceptanceQuery,
  AddressCheck,
  BatchItemResult,
  CredentialCheck,
  OutboundMessage,
  ProviderAdapter,
  ProviderCapabilities,
  ProviderConnection,
  SendReceipt,
  ESP_MESSAGE_ID_KEY,
  ProviderSuppression,
  SenderCheck,
  WebhookRegistration,
  WebhookRequest,
} from '../types';
import { WEBHOOK_SUBSCRIPTIONS } from '@internal/plugin-esp-common';
import { planMailgunWebhooks } from './mailgunWebhookRegistration';
import {
  MailgunDomainLike,
  toDomainDetailView,
  toDomainView,
} from './mailgunDomains';
import { toMailgunProviderError } from './mailgunErrors';
import { normalizeMailgunEvents } from './mailgunEvents';
import { verifyMailgunWebhook } from './mailgunWebhooks';

/** What every Mailgun call takes, built by the Mailgun profile. */
export type MailgunConnection = ProviderConnection & {
  apiKey: string;
  /** The API host of the account's region, from app-config. */
  baseUrl: string;
  /** The account's region, named when a domain is not found in it. */
  region: MailgunRegion;
  /** The sending domain the key is checked against and sends from. */
  domain?: string;
  /** Send in test mode (accepted, never delivered). */
  testMode: boolean;
  /** Sign outgoing mail with the domain's DKIM key (`o:dkim`). */
  dkimSigning: boolean;
};

// Mailgun's documented page size limit for the events API.
const EVENTS_PER_PAGE = 300;
// With the recipient filter a page or two is the norm; this bounds a search
// through a very busy recipient (a shared inbox) to 3,000 events.
const EVENT_PAGES_READ = 10;

const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');

function clientFor(conn: MailgunConnection) {
  return new Mailgun(FormData).client({
    username: 'api',
    key: conn.apiKey,
    url: conn.baseUrl,
    timeout: conn.timeoutSeconds * 1000,
  });
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toMailgunProviderError(error);
  }
}

function unknownDomainMessage(conn: MailgunConnection): string {
  const region = conn.region === 'eu' ? 'EU' : 'US';
  const other = conn.region === 'eu' ? 'US' : 'EU';
  return `The domain ${conn.domain} was not found in your Mailgun account (${region} region). Check its spelling, or choose the ${other} region if the domain was created there.`;
}

function requireDomain(conn: MailgunConnection): string {
  if (!conn.domain) {
    throw new ProviderError('rejected', 'Set the Mailgun sending domain first');
  }
  return conn.domain;
}

// Mailgun's suppression lists, by the kind of suppression.
const SUPPRESSION_LISTS = {
  bounce: 'bounces',
  complaint: 'complaints',
  unsubscribe: 'unsubscribes',
} as const;

/** Mailgun over its official SDK; stateless, a client per call. */
export class MailgunAdapter implements ProviderAdapter<MailgunConnection> {
  readonly id = 'mailgun' as const;
  readonly displayName = 'Mailgun';
  readonly capabilities: ProviderCapabilities = {
    batchLimit: 1000,
    domainManagement: true,
  };

  /**
   * Reads the sending domain with the key, which checks both: a wrong key
   * answers 401, an unknown domain 404. Without a domain yet, listing domains
   * checks the key alone.
   */
  async verifyCredentials(conn: MailgunConnection): Promise<CredentialCheck> {
    const client = clientFor(conn);
    if (!conn.domain) {
      await call(() => client.domains.list());
      return { accountName: 'Mailgun account' };
    }
    try {
      const domain = await call(() => client.domains.get(conn.domain!));
      return { accountName: domain.name };
    } catch (error) {
      // The key worked (a wrong one answers 401): the account has no such
      // domain, in this region at least. That is a field to fix, not a 404.
      if (error instanceof ProviderError && error.kind === 'not_found') {
        throw new ProviderError('rejected', unknownDomainMessage(conn), {
          providerCode: error.providerCode,
        });
      }
      throw error;
    }
  }

  async sendEmail(
    conn: MailgunConnection,
    message: OutboundMessage,
  ): Promise<SendReceipt> {
    const domain = requireDomain(conn);
    const result = await call(() =>
      clientFor(conn).messages.create(domain, {
        from: message.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.tags?.length ? { 'o:tag': message.tags } : {}),
        ...(message.trackOpens !== undefined
          ? { 'o:tracking-opens': yesNo(message.trackOpens) }
          : {}),
        ...(message.trackLinks !== undefined
          ? { 'o:tracking-clicks': yesNo(message.trackLinks) }
          : {}),
        ...(message.cc?.length ? { cc: message.cc.join(', ') } : {}),
        ...(message.bcc?.length ? { bcc: message.bcc.join(', ') } : {}),
        ...(message.replyTo ? { 'h:Reply-To': message.replyTo } : {}),
        ...Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [
            `h:${name}`,
            value,
          ]),
        ),
        // Metadata travels as Mailgun's user variables (`v:<name>`), which
        // its events and webhooks carry back as `user-variables`.
        ...Object.fromEntries(
          Object.entries(message.metadata ?? {}).map(([name, value]) => [
            `v:${name}`,
            value,
          ]),
        ),
        ...(message.attachments?.length
          ? {
              attachment: message.attachments.map(a => ({
                filename: a.filename,
                contentType: a.contentType,
                data: Buffer.from(a.content, 'base64'),
              })),
            }
          : {}),
        'o:dkim': yesNo(conn.dkimSigning),
        ...(conn.testMode ? { 'o:testmode': 'yes' } : {}),
      }),
    );
    return {
      // Mailgun answers "<id@domain>"; its webhooks carry the id without brackets.
      messageId: String(result.id ?? '').replace(/^<|>$/g, ''),
      submittedAt: new Date().toISOString(),
    };
  }

  /**
   * Mailgun's events API (`GET /v3/<domain>/events`, HTTP Basic `api:<key>`;
   * `events.get` in mailgun.js): the `accepted` events (Mailgun took the
   * request and queued the message) in a time range from `begin` (epoch
   * seconds), `ascending=yes` with no `end`, at most 300 a page, with the
   * `recipient` filter (each event tracks one recipient). Its documented
   * filter fields have none for user variables, but each event carries the
   * send's `user-variables`, so the id is matched here, page by page (the
   * SDK's `pages.next.page`) until an empty page. The range starts a minute
   * before the send, for clocks that disagree.
   */
  async findAccepted(
    conn: MailgunConnection,
    query: AcceptanceQuery,
  ): Promise<AcceptanceCheck> {
    const domain = requireDomain(conn);
    const client = clientFor(conn);
    const begin = Math.floor(query.since.getTime() / 1000) - 60;
    const eventsPage = (page?: string) =>
      call(() =>
        client.events.get(
          domain,
          page
            ? { page }
            : {
                begin: String(begin),
                ascending: 'yes',
                limit: EVENTS_PER_PAGE,
                event: 'accepted',
                ...(query.recipient ? { recipient: query.recipient } : {}),
              },
        ),
      );
    let page: string | undefined;
    for (let read = 0; read < EVENT_PAGES_READ; read++) {
      const result = await eventsPage(page);
      const match = result.items.find(
        e => e['user-variables']?.[ESP_MESSAGE_ID_KEY] === query.espMessageId,
      );
      if (match) {
        return {
          found: true,
          providerMessageId: String(
            match.message?.headers?.['message-id'] ?? '',
          ).replace(/^<|>$/g, ''),
        };
      }
      if (result.items.length < EVENTS_PER_PAGE) return { found: false };
      page = result.pages?.next?.page;
      if (!page) return { found: false };
    }
    // Not read to the end: "no record" would be a guess, and a guess here
    // could send the message twice.
    throw new ProviderError(
      'provider_error',
      `Mailgun lists more events since the send than ESP Hub reads (${
        EVENT_PAGES_READ * EVENTS_PER_PAGE
      }); check the message in Mailgun's logs`,
    );
  }

  // Mailgun's batch sending addresses one message to many recipients; ESP Hub's
  // batches are distinct messages, so they go out one call each.
  sendBatch(
    conn: MailgunConnection,
    messages: OutboundMessage[],
  ): Promise<BatchItemResult[]> {
    return sendEachInTurn(this, conn, messages);
  }

  /**
   * Mailgun's domain webhooks API (`/v3/domains/{domain}/webhooks`, one
   * webhook per event id, up to three urls each): `POST` with `id` + `url`
   * creates, `PUT …/{id}` replaces the urls, `DELETE …/{id}` removes. The ids
   * are passed as strings: mailgun.js's WebhooksIds enum spells
   * unsubscribed as "unsubscribe", which Mailgun does not know.
   */
  async registerWebhooks(
    conn: MailgunConnection,
    registration: WebhookRegistration,
  ): Promise<void> {
    const domain = requireDomain(conn);
    const client = clientFor(conn);
    const current = await call(() => client.webhooks.list(domain, {}));
    const managed = WEBHOOK_SUBSCRIPTIONS.mailgun.map(s => s.id);
    for (const change of planMailgunWebhooks(current, registration, managed)) {
      if (change.action === 'create') {
        await call(() =>
          client.webhooks.create(domain, change.id, change.urls[0], false),
        );
      } else if (change.action === 'update') {
        await call(() =>
          client.webhooks.update(domain, change.id, change.urls),
        );
      } else {
        await call(() => client.webhooks.destroy(domain, change.id));
      }
    }
  }

  /**
   * `GET /v5/accounts/http_signing_key` answers `{ http_signing_key }`, the
   * key that signs every webhook of the account. mailgun.js has no call for
   * it, so it is asked directly, with the same Basic `api:<key>`.
   */
  async fetchWebhookSigningKey(conn: MailgunConnection): Promise<string> {
    let answer: Response;
    try {
      answer = await fetch(
        `${conn.baseUrl.replace(/\/+$/, '')}/v5/accounts/http_signing_key`,
        {
          headers: {
            authorization: `Basic ${Buffer.from(`api:${conn.apiKey}`).toString(
              'base64',
            )}`,
          },
          signal: AbortSignal.timeout(conn.timeoutSeconds * 1000),
        },
      );
    } catch (error) {
      throw toMailgunProviderError(error);
    }
    const body = (await answer.json().catch(() => undefined)) as
      | { http_signing_key?: unknown; message?: string }
      | undefined;
    if (!answer.ok) {
      throw toMailgunProviderError(
        Object.assign(new Error(body?.message ?? answer.statusText), {
          status: answer.status,
          details: body?.message,
        }),
        answer.headers.get('retry-after') ?? undefined,
      );
    }
    if (typeof body?.http_signing_key !== 'string' || !body.http_signing_key) {
      throw new ProviderError(
        'provider_error',
        'Mailgun answered without an HTTP webhook signing key',
      );
    }
    return body.http_signing_key;
  }

  /**
   * Mailgun's suppression lists of the sending domain: `POST
   * /v3/{domain}/bounces` (a bounce keeps `code` and `error`),
   * `/complaints`, `/unsubscribes` (`tag: *`, every tag).
   */
  async addSuppression(
    conn: MailgunConnection,
    entry: ProviderSuppression,
  ): Promise<void> {
    const domain = requireDomain(conn);
    const list = SUPPRESSION_LISTS[entry.kind];
    // A bounce keeps why; an unsubscribe covers every tag.
    const extra: Record<ProviderSuppression['kind'], object> = {
      bounce: { code: 550, error: entry.reason },
      unsubscribe: { tag: '*' },
      complaint: {},
    };
    const data = { address: entry.address, ...extra[entry.kind] };
    await call(() => clientFor(conn).suppressions.create(domain, list, data));
  }

  /** `DELETE /v3/{domain}/{list}/{address}` on each list; absent from one is fine. */
  async removeSuppression(
    conn: MailgunConnection,
    address: string,
  ): Promise<void> {
    const domain = requireDomain(conn);
    const client = clientFor(conn);
    for (const list of Object.values(SUPPRESSION_LISTS)) {
      try {
        await call(() => client.suppressions.destroy(domain, list, address));
      } catch (error) {
        if (!(error instanceof ProviderError && error.kind === 'not_found')) {
          throw error;
        }
      }
    }
  }

  /** Mailgun verifies domains, not addresses: the sender's domain must be active. */
  async checkSender(
    conn: MailgunConnection,
    address: string,
  ): Promise<SenderCheck> {
    const name = address.split('@').pop() ?? '';
    const domain = await call(() => clientFor(conn).domains.get(name));
    return domain.state === 'active'
      ? { status: 'verified', detail: null }
      : {
          status: 'unverified',
          detail: `The domain ${name} is not verified in Mailgun yet.`,
        };
  }

  async listDomains(conn: MailgunConnection): Promise<DomainListView> {
    const client = clientFor(conn);
    const domains = await call(() => client.domains.list());
    // The list has no DNS records; each domain's checks need its own read.
    const detailed = await Promise.all(
      domains.map(d => call(() => client.domains.get(d.name))),
    );
    return {
      available: true,
      reason: null,
      domains: detailed.map(d =>
        toDomainView(d as unknown as MailgunDomainLike),
      ),
    };
  }

  async getDomain(
    conn: MailgunConnection,
    domainId: string,
  ): Promise<DomainDetailView> {
    const domain = await call(() => clientFor(conn).domains.get(domainId));
    return toDomainDetailView(domain as unknown as MailgunDomainLike);
  }

  async addDomain(
    conn: MailgunConnection,
    name: string,
  ): Promise<DomainDetailView> {
    const domain = await call(() => clientFor(conn).domains.create({ name }));
    return toDomainDetailView(domain as unknown as MailgunDomainLike);
  }

  async verifyDomain(
    conn: MailgunConnection,
    domainId: string,
  ): Promise<DomainView> {
    const domain = await call(() => clientFor(conn).domains.verify(domainId));
    return toDomainView(domain as unknown as MailgunDomainLike);
  }

  async removeDomain(conn: MailgunConnection, domainId: string): Promise<void> {
    await call(() => clientFor(conn).domains.destroy(domainId));
  }

  verifyWebhook(
    request: WebhookRequest,
    signingKey: string,
    now?: Date,
  ): boolean {
    return verifyMailgunWebhook(request, signingKey, now);
  }

  normalizeEvents(payload: unknown): NormalizedEvent[] {
    return normalizeMailgunEvents(payload);
  }

  async setUnsubscribeTracking(
    conn: MailgunConnection,
    active: boolean,
  ): Promise<void> {
    const domain = requireDomain(conn);
    await call(() =>
      clientFor(conn).domains.domainTracking.updateTracking(
        domain,
        'unsubscribe',
        { active },
      ),
    );
  }

  async validateAddress(
    conn: MailgunConnection,
    address: string,
  ): Promise<AddressCheck> {
    const result = await call(() => clientFor(conn).validate.get(address));
    return {
      address,
      result: result.result as AddressCheck['result'],
      risk: result.risk as AddressCheck['risk'],
    };
  }
}
