import type {
  DomainDetailView,
  DomainListView,
  DomainView,
  MessageStream,
} from '@internal/plugin-esp-common';
import { ProviderError } from '../providers/errors';
import type { PostmarkConnection } from '../providers/postmark/PostmarkAdapter';
import type {
  CredentialCheck,
  OutboundMessage,
  ProviderAdapter,
  SendReceipt,
  SenderCheck,
} from '../providers/types';
import { sendEachInTurn } from '../providers/sendEachInTurn';

/**
 * A Postmark stand-in for tests: it knows which tokens are valid, can be "down",
 * keeps domains in memory and remembers every call, so tests can assert what the
 * service sent without a network.
 */
export class FakePostmarkAdapter
  implements ProviderAdapter<PostmarkConnection>
{
  readonly id = 'postmark' as const;
  readonly displayName = 'Postmark';
  readonly capabilities = {
    batchLimit: 500,
    domainManagement: true,
  };

  readonly serverTokens = new Set<string>();
  readonly accountTokens = new Set<string>();
  readonly verifiedSenders = new Set<string>();
  readonly sent: Array<{ conn: PostmarkConnection; message: OutboundMessage }> =
    [];
  readonly calls: Array<{ method: string; conn: PostmarkConnection }> = [];
  /** When set, every call fails with this error. */
  failWith: Error | undefined;
  /** When set, sendEmail rejects the message with this provider message. */
  rejectSends: string | undefined;

  private readonly domains = new Map<string, DomainDetailView>();
  private nextId = 1;

  async verifyCredentials(conn: PostmarkConnection): Promise<CredentialCheck> {
    this.enter('verifyCredentials', conn);
    this.requireServerToken(conn);
    return { accountName: 'Fake server' };
  }

  sendBatch(conn: PostmarkConnection, messages: OutboundMessage[]) {
    return sendEachInTurn(this, conn, messages);
  }

  async sendEmail(
    conn: PostmarkConnection,
    message: OutboundMessage,
  ): Promise<SendReceipt> {
    this.enter('sendEmail', conn);
    this.requireServerToken(conn);
    if (this.rejectSends) {
      throw new ProviderError('rejected', this.rejectSends, {
        providerCode: 400,
      });
    }
    this.sent.push({ conn, message });
    return {
      messageId: `fake-${this.sent.length}`,
      submittedAt: new Date().toISOString(),
    };
  }

  async listMessageStreams(conn: PostmarkConnection): Promise<MessageStream[]> {
    this.enter('listMessageStreams', conn);
    this.requireServerToken(conn);
    return [
      {
        id: 'outbound',
        name: 'Default Transactional Stream',
        type: 'Transactional',
      },
      { id: 'broadcast', name: 'Broadcasts', type: 'Broadcasts' },
    ];
  }

  async checkSender(
    conn: PostmarkConnection,
    address: string,
  ): Promise<SenderCheck> {
    this.enter('checkSender', conn);
    this.requireServerToken(conn);
    return this.verifiedSenders.has(address)
      ? { status: 'verified', detail: null }
      : { status: 'unverified', detail: 'No confirmed sender signature' };
  }

  async listDomains(conn: PostmarkConnection): Promise<DomainListView> {
    this.enter('listDomains', conn);
    this.requireAccountToken(conn);
    return {
      available: true,
      reason: null,
      domains: [...this.domains.values()].map(withoutRecords),
    };
  }

  async getDomain(
    conn: PostmarkConnection,
    domainId: string,
  ): Promise<DomainDetailView> {
    this.enter('getDomain', conn);
    this.requireAccountToken(conn);
    return this.find(domainId);
  }

  async addDomain(
    conn: PostmarkConnection,
    name: string,
  ): Promise<DomainDetailView> {
    this.enter('addDomain', conn);
    this.requireAccountToken(conn);
    const id = String(this.nextId++);
    const domain: DomainDetailView = {
      id,
      name,
      status: 'pending',
      dkim: 'pending',
      returnPath: 'pending',
      spf: 'not_applicable',
      cname: 'not_applicable',
      records: [
        {
          purpose: 'DKIM',
          type: 'TXT',
          host: `pm${id}._domainkey.${name}`,
          value: 'k=rsa; p=FAKE',
          status: 'pending',
        },
      ],
    };
    this.domains.set(id, domain);
    return domain;
  }

  async verifyDomain(
    conn: PostmarkConnection,
    domainId: string,
  ): Promise<DomainView> {
    this.enter('verifyDomain', conn);
    this.requireAccountToken(conn);
    const domain = this.find(domainId);
    const verified: DomainDetailView = {
      ...domain,
      status: 'verified',
      dkim: 'verified',
      returnPath: 'verified',
      records: domain.records.map(r => ({
        ...r,
        status: 'verified' as const,
      })),
    };
    this.domains.set(domainId, verified);
    return withoutRecords(verified);
  }

  async removeDomain(
    conn: PostmarkConnection,
    domainId: string,
  ): Promise<void> {
    this.enter('removeDomain', conn);
    this.requireAccountToken(conn);
    this.find(domainId);
    this.domains.delete(domainId);
  }

  private enter(method: string, conn: PostmarkConnection) {
    this.calls.push({ method, conn });
    if (this.failWith) throw this.failWith;
  }

  private requireServerToken(conn: PostmarkConnection) {
    if (!this.serverTokens.has(conn.serverToken)) {
      throw new ProviderError('invalid_credentials', 'Invalid server token', {
        providerCode: 10,
      });
    }
  }

  private requireAccountToken(conn: PostmarkConnection) {
    if (!conn.accountToken || !this.accountTokens.has(conn.accountToken)) {
      throw new ProviderError('invalid_credentials', 'Invalid account token', {
        providerCode: 10,
      });
    }
  }

  private find(domainId: string): DomainDetailView {
    const domain = this.domains.get(domainId);
    if (!domain) {
      throw new ProviderError('not_found', `Domain ${domainId} was not found`, {
        providerCode: 510,
      });
    }
    return domain;
  }
}

function withoutRecords({
  records: _records,
  ...view
}: DomainDetailView): DomainView {
  return view;
}
