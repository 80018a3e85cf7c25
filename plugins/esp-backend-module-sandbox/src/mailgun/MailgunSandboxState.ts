import { randomBytes, randomUUID } from 'node:crypto';
import type { MailgunSuppressionCall } from './webhooksApi';

export type MailgunDnsRecord = {
  record_type: 'TXT' | 'CNAME' | 'MX';
  name: string;
  value: string;
  /** `unknown` until Mailgun first checks the record, then `valid` or `invalid`. */
  valid: 'valid' | 'invalid' | 'unknown';
  priority?: string;
};

export type MailgunSandboxDomain = {
  id: string;
  name: string;
  state: 'active' | 'unverified';
  /** Set by the test or the developer: the DNS records "are published". */
  dnsPublished: boolean;
  sending: MailgunDnsRecord[];
  /** Domain tracking settings as last set, e.g. `{ unsubscribe: true }`. */
  tracking: Record<string, boolean>;
  receiving: MailgunDnsRecord[];
  created_at: string;
};

export type MailgunSandboxMessage = {
  id: string;
  domain: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  tags: string[];
  /** The `o:` options as sent, e.g. `{ testmode: 'yes', 'tracking-opens': 'yes' }`. */
  options: Record<string, string>;
  /** cc and bcc as sent (comma-separated lists each). */
  cc?: string[];
  bcc?: string[];
  /** The user variables (`v:<name>` fields and `h:X-Mailgun-Variables`). */
  variables?: Record<string, string>;
  /** When Mailgun accepted it, epoch seconds (its events' `timestamp`). */
  acceptedAt?: number;
};

/** What the Mailgun stand-in knows: API keys, domains and accepted messages. */
export class MailgunSandboxState {
  readonly apiKeys: Set<string>;
  readonly domains = new Map<string, MailgunSandboxDomain>();
  readonly messages: MailgunSandboxMessage[] = [];
  /** Each domain's webhooks: webhook id to its urls. */
  readonly webhooks = new Map<string, Map<string, string[]>>();
  /** The account's HTTP webhook signing key, generated per stand-in. */
  httpSigningKey = randomBytes(16).toString('hex');
  /** Every suppression list call, in order. */
  readonly suppressionCalls: MailgunSuppressionCall[] = [];
  private pendingFailures: number[] = [];
  /** Sent as `Retry-After` with an injected 429, like a real rate limit. */
  retryAfterSeconds = 30;
  /**
   * How long an accepted message takes to show in the events API (Mailgun
   * stores events with a delay): tests of "asked too early" set it.
   */
  eventsLagMs = 0;
  /**
   * Endpoints that answer as Mailgun does for a route it does not serve (a
   * plain-text "404 page not found"), e.g. `PUT /v3/domains/mg.example.com/tracking/unsubscribe`.
   */
  readonly missingEndpoints = new Set<string>();

  /** Told of each accepted message (the event emitter). */
  onAccepted?: (message: MailgunSandboxMessage) => void;

  constructor(options: { apiKeys: string[] }) {
    this.apiKeys = new Set(options.apiKeys);
  }

  addDomain(name: string): MailgunSandboxDomain {
    const domain = name.toLocaleLowerCase('en-US');
    const record = (
      record_type: MailgunDnsRecord['record_type'],
      host: string,
      value: string,
    ): MailgunDnsRecord => ({
      record_type,
      name: host,
      value,
      valid: 'unknown',
    });
    const created: MailgunSandboxDomain = {
      id: randomBytes(12).toString('hex'),
      name: domain,
      state: 'unverified',
      dnsPublished: false,
      sending: [
        record('TXT', domain, 'v=spf1 include:mailgun.org ~all'),
        record(
          'TXT',
          `mx._domainkey.${domain}`,
          `k=rsa; p=${randomBytes(48).toString('base64')}`,
        ),
        record('CNAME', `email.${domain}`, 'mailgun.org'),
      ],
      tracking: {},
      receiving: [
        { ...record('MX', domain, 'mxa.mailgun.org'), priority: '10' },
        { ...record('MX', domain, 'mxb.mailgun.org'), priority: '10' },
      ],
      created_at: new Date().toUTCString(),
    };
    this.domains.set(domain, created);
    return created;
  }

  addVerifiedDomain(name: string): MailgunSandboxDomain {
    const domain = this.addDomain(name);
    this.publishDns(domain.name);
    this.verify(domain.name);
    return domain;
  }

  publishDns(name: string): boolean {
    const domain = this.domains.get(name.toLocaleLowerCase('en-US'));
    if (!domain) return false;
    domain.dnsPublished = true;
    return true;
  }

  /** Checks the records as Mailgun does: valid once published, invalid until then. */
  verify(name: string): MailgunSandboxDomain | undefined {
    const domain = this.domains.get(name.toLocaleLowerCase('en-US'));
    if (!domain) return undefined;
    const valid = domain.dnsPublished ? 'valid' : 'invalid';
    for (const r of [...domain.sending, ...domain.receiving]) r.valid = valid;
    domain.state = domain.dnsPublished ? 'active' : 'unverified';
    return domain;
  }

  record(message: Omit<MailgunSandboxMessage, 'id'>): MailgunSandboxMessage {
    const stored = {
      acceptedAt: Date.now() / 1000,
      ...message,
      id: `${Date.now()}.${randomUUID()}@${message.domain}`,
    };
    this.messages.push(stored);
    this.onAccepted?.(stored);
    return stored;
  }

  failNext(...statuses: number[]): void {
    this.pendingFailures.push(...statuses);
  }

  takeFailure(): number | undefined {
    return this.pendingFailures.shift();
  }
}
