import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxSuppressionCall, SandboxWebhook } from './webhooksApi';

export type SandboxDomain = {
  ID: number;
  Name: string;
  DKIMVerified: boolean;
  ReturnPathDomainVerified: boolean;
  /** Set by the test or the developer: the DNS records "are published". */
  dnsPublished: boolean;
  DKIMPendingHost: string;
  DKIMPendingTextValue: string;
  ReturnPathDomain: string;
};

export type SandboxSignature = {
  ID: number;
  EmailAddress: string;
  Name: string;
  Confirmed: boolean;
};

export type SandboxMessage = {
  MessageID: string;
  SubmittedAt: string;
  From: string;
  To: string;
  Cc?: string;
  Bcc?: string;
  Subject?: string;
  TextBody?: string;
  HtmlBody?: string;
  Tag?: string;
  MessageStream: string;
  TrackOpens?: boolean;
  TrackLinks?: string;
  Metadata?: Record<string, string>;
};

export type SandboxStream = {
  ID: string;
  Name: string;
  MessageStreamType: 'Transactional' | 'Broadcasts' | 'Inbound';
};

/**
 * What the Postmark stand-in knows: one server with its streams, the account's
 * domains and sender signatures, and every message it accepted.
 */
export class PostmarkSandboxState {
  serverName = 'ESP Hub Sandbox';
  readonly serverTokens: Set<string>;
  readonly accountTokens: Set<string>;
  readonly streams: SandboxStream[] = [
    {
      ID: 'outbound',
      Name: 'Default Transactional Stream',
      MessageStreamType: 'Transactional',
    },
    {
      ID: 'broadcast',
      Name: 'Default Broadcast Stream',
      MessageStreamType: 'Broadcasts',
    },
  ];
  readonly domains: SandboxDomain[] = [];
  readonly signatures: SandboxSignature[] = [];
  readonly messages: SandboxMessage[] = [];
  /** The webhooks registered through the webhooks API. */
  readonly webhooks: SandboxWebhook[] = [];
  /** Every suppressions API call, in order. */
  readonly suppressionCalls: SandboxSuppressionCall[] = [];
  private nextId = 1000;
  private pendingFailures: number[] = [];
  /** Sent as `Retry-After` with an injected 429, like a real rate limit. */
  retryAfterSeconds = 30;
  /**
   * How long an accepted message takes to show in the outbound message search
   * (Postmark indexes with a lag): tests of "asked too early" set it.
   */
  searchLagMs = 0;
  /**
   * How long a send waits before answering, after the message was recorded: a
   * slow provider, so that a sender can be stopped mid-request.
   */
  answerDelayMs = 0;

  constructor(options: { serverTokens: string[]; accountTokens: string[] }) {
    this.serverTokens = new Set(options.serverTokens);
    this.accountTokens = new Set(options.accountTokens);
  }

  addDomain(name: string): SandboxDomain {
    const selector = `${new Date()
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '')}pm`;
    const domain: SandboxDomain = {
      ID: this.nextId++,
      Name: name.toLocaleLowerCase('en-US'),
      DKIMVerified: false,
      ReturnPathDomainVerified: false,
      dnsPublished: false,
      DKIMPendingHost: `${selector}._domainkey.${name}`,
      DKIMPendingTextValue: `k=rsa;p=${randomBytes(48).toString('base64')}`,
      ReturnPathDomain: `pm-bounces.${name}`,
    };
    this.domains.push(domain);
    return domain;
  }

  findDomain(nameOrId: string | number): SandboxDomain | undefined {
    return this.domains.find(d =>
      typeof nameOrId === 'number'
        ? d.ID === nameOrId
        : d.Name === nameOrId.toLocaleLowerCase('en-US'),
    );
  }

  /** The DNS records of a domain are now "published": the next verify succeeds. */
  publishDns(name: string): boolean {
    const domain = this.findDomain(name);
    if (!domain) return false;
    domain.dnsPublished = true;
    return true;
  }

  /** A domain whose DNS was already checked and found valid. */
  addVerifiedDomain(name: string): SandboxDomain {
    const domain = this.addDomain(name);
    domain.dnsPublished = true;
    domain.DKIMVerified = true;
    domain.ReturnPathDomainVerified = true;
    return domain;
  }

  addSignature(email: string, confirmed: boolean): SandboxSignature {
    const signature = {
      ID: this.nextId++,
      EmailAddress: email.toLocaleLowerCase('en-US'),
      Name: email,
      Confirmed: confirmed,
    };
    this.signatures.push(signature);
    return signature;
  }

  /** Told of each accepted message (the event emitter). */
  onAccepted?: (message: SandboxMessage) => void;

  nextWebhookId(): number {
    return this.nextId++;
  }

  /** Whether Postmark would accept this From address. */
  canSendFrom(address: string): boolean {
    const email = (address.match(/<([^>]+)>/)?.[1] ?? address)
      .trim()
      .toLocaleLowerCase('en-US');
    const domain = email.split('@').pop() ?? '';
    return (
      this.signatures.some(s => s.EmailAddress === email && s.Confirmed) ||
      this.domains.some(d => d.Name === domain && d.DKIMVerified)
    );
  }

  record(
    message: Omit<SandboxMessage, 'MessageID' | 'SubmittedAt'>,
  ): SandboxMessage {
    const stored = {
      ...message,
      MessageID: randomUUID(),
      SubmittedAt: new Date().toISOString(),
    };
    this.messages.push(stored);
    this.onAccepted?.(stored);
    return stored;
  }

  /** The accepted messages the outbound message search sees now, newest first. */
  searchable(now = Date.now()): SandboxMessage[] {
    return this.messages
      .filter(m => Date.parse(m.SubmittedAt) + this.searchLagMs <= now)
      .reverse();
  }

  /** The next requests answer with these HTTP statuses (an outage, a rate limit). */
  failNext(...statuses: number[]): void {
    this.pendingFailures.push(...statuses);
  }

  takeFailure(): number | undefined {
    return this.pendingFailures.shift();
  }
}
