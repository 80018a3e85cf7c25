import {
  AddressValidationJob,
  AnalyticsQuery,
  AnalyticsView,
  ConnectionTestResult,
  DomainDetailView,
  ESP_MESSAGES,
  MAILGUN_DEFAULTS,
  MailgunConfigInput,
  MailgunConfigView,
  POSTMARK_DEFAULTS,
  PostmarkConfigInput,
  PostmarkConfigView,
  ProviderStatusSummary,
  ProviderSummary,
  SmtpConfigInput,
  SmtpConfigView,
  ExplainRequest,
  RoutingConfigInput,
  MarkSentInput,
  MessageListItem,
  MessageListPage,
  MessageListQuery,
  MessageView,
  RoutingVolumeView,
  SuppressionView,
  WebhookEndpointView,
  WebhookEventListItem,
  WebhookEventPage,
  WebhookEventQuery,
  WebhookEventView,
  WebhookProviderId,
  WebhookReplayInput,
  WebhookTestInput,
  WebhookTestResult,
} from '@internal/plugin-esp-common';
import type { ConfigProviderId, EspApi, FirewallFormat } from '../api';
import { endpointView, eventView } from './webhookFixtures';
import { FakeRoutingBackend } from './FakeRoutingBackend';
import { responseError } from './responseError';
import { emptyView } from './analyticsFixtures';

const VALID_TOKEN = 'valid-server-token';

export { responseError } from './responseError';

/**
 * An in-memory ESP backend for page tests: it validates tokens, stores the
 * configuration, masks secrets and manages domains like the real API does.
 */
export class FakeEspApi implements EspApi {
  view: PostmarkConfigView = {
    providerId: 'postmark',
    configured: false,
    enabled: false,
    serverToken: { set: false, mask: null },
    accountToken: { set: false, mask: null },
    defaultSender: null,
    defaultSenderStatus: 'unknown',
    defaultSenderDetail: null,
    tracking: POSTMARK_DEFAULTS.tracking,
    advanced: POSTMARK_DEFAULTS.advanced,
    connection: { state: 'untested', lastTestedAt: null, lastError: null },
    updatedAt: null,
    updatedBy: null,
    dashboardUrl: 'https://account.postmarkapp.com/servers',
  };
  mailgunView: MailgunConfigView = {
    providerId: 'mailgun',
    configured: false,
    enabled: false,
    apiKey: { set: false, mask: null },
    domain: null,
    domainStatus: 'unknown',
    domainDetail: null,
    region: 'us',
    tracking: MAILGUN_DEFAULTS.tracking,
    advanced: MAILGUN_DEFAULTS.advanced,
    connection: { state: 'untested', lastTestedAt: null, lastError: null },
    updatedAt: null,
    updatedBy: null,
    dashboardUrl: 'https://app.mailgun.com/',
  };
  readonly savedMailgun: MailgunConfigInput[] = [];
  smtpView: SmtpConfigView = {
    providerId: 'smtp',
    configured: false,
    enabled: false,
    host: null,
    port: 587,
    tls: 'starttls',
    username: null,
    password: { set: false, mask: null },
    defaultSender: null,
    timeoutSeconds: 30,
    connection: { state: 'untested', lastTestedAt: null, lastError: null },
    updatedAt: null,
    updatedBy: null,
  };
  readonly savedSmtp: SmtpConfigInput[] = [];
  domains: DomainDetailView[] = [];
  validation?: AddressValidationJob;
  pendingAddresses: string[] = [];
  saveFailure?: { status: number; message: string };
  /** What the next save answers as settings the provider could not apply. */
  saveWarnings?: string[];
  readonly saved: PostmarkConfigInput[] = [];
  readonly sentTo: string[] = [];

  configured(patch: Partial<PostmarkConfigView> = {}): this {
    this.view = {
      ...this.view,
      configured: true,
      enabled: true,
      serverToken: { set: true, mask: '••••oken' },
      accountToken: { set: true, mask: '••••acct' },
      defaultSender: 'noreply@example.com',
      defaultSenderStatus: 'verified',
      connection: {
        state: 'connected',
        lastTestedAt: new Date().toISOString(),
        lastError: null,
      },
      updatedAt: new Date().toISOString(),
      ...patch,
    };
    return this;
  }

  listProviders = jest.fn(async (): Promise<ProviderSummary[]> => []);
  getConfig = jest.fn(async (providerId: ConfigProviderId) => {
    if (providerId === 'postmark') return this.view;
    if (providerId === 'mailgun') return this.mailgunView;
    return this.smtpView;
  }) as unknown as jest.MockedFunction<EspApi['getConfig']>;

  saveConfig = jest.fn(async (providerId: ConfigProviderId, input: unknown) => {
    const warnings = this.saveWarnings ? { warnings: this.saveWarnings } : {};
    if (providerId === 'postmark')
      return {
        ...(await this.savePostmark(input as PostmarkConfigInput)),
        ...warnings,
      };
    if (providerId === 'mailgun')
      return {
        ...(await this.saveMailgun(input as MailgunConfigInput)),
        ...warnings,
      };
    return { ...(await this.saveSmtp(input as SmtpConfigInput)), ...warnings };
  }) as unknown as jest.MockedFunction<EspApi['saveConfig']>;

  private async savePostmark(input: PostmarkConfigInput) {
    if (this.saveFailure) {
      throw await responseError(
        this.saveFailure.status,
        this.saveFailure.message,
      );
    }
    if (input.serverToken !== undefined && input.serverToken !== VALID_TOKEN) {
      throw await responseError(400, ESP_MESSAGES.invalidApiKey);
    }
    this.saved.push(input);
    this.view = {
      ...this.view,
      configured: true,
      enabled: true,
      serverToken: input.serverToken
        ? { set: true, mask: `••••${input.serverToken.slice(-4)}` }
        : this.view.serverToken,
      defaultSender: input.defaultSender,
      tracking: input.tracking,
      advanced: input.advanced,
      updatedAt: new Date().toISOString(),
    };
    return this.view;
  }

  private async saveMailgun(input: MailgunConfigInput) {
    if (input.apiKey !== undefined && input.apiKey !== VALID_TOKEN) {
      throw await responseError(400, ESP_MESSAGES.invalidApiKey);
    }
    this.savedMailgun.push(input);
    this.mailgunView = {
      ...this.mailgunView,
      configured: true,
      enabled: true,
      apiKey: input.apiKey
        ? { set: true, mask: `••••${input.apiKey.slice(-4)}` }
        : this.mailgunView.apiKey,
      domain: input.domain,
      region: input.region,
      tracking: input.tracking,
      advanced: input.advanced,
      updatedAt: new Date().toISOString(),
    };
    return this.mailgunView;
  }

  private async saveSmtp(input: SmtpConfigInput) {
    this.savedSmtp.push(input);
    this.smtpView = {
      ...this.smtpView,
      configured: true,
      enabled: true,
      host: input.host,
      port: input.port,
      tls: input.tls,
      username: input.username,
      password:
        input.password === undefined
          ? this.smtpView.password
          : {
              set: input.password !== null,
              mask: input.password ? '••••' : null,
            },
      defaultSender: input.defaultSender,
      timeoutSeconds: input.timeoutSeconds,
      updatedAt: new Date().toISOString(),
    };
    return this.smtpView;
  }

  validateCredentials = jest.fn(
    async (_id: string, apiKey: string): Promise<ConnectionTestResult> => ({
      ok: apiKey === VALID_TOKEN,
      testedAt: new Date().toISOString(),
      message:
        apiKey === VALID_TOKEN
          ? 'Connected to Postmark (Sandbox).'
          : ESP_MESSAGES.invalidApiKey,
      ...(apiKey === VALID_TOKEN ? { accountName: 'Sandbox' } : {}),
    }),
  );

  testConnection = jest.fn(
    async (): Promise<ConnectionTestResult> => ({
      ok: true,
      testedAt: new Date().toISOString(),
      message: 'Connected to Postmark (Sandbox).',
    }),
  );

  setProviderEnabled = jest.fn(
    async (_id: string, _enabled: boolean): Promise<ProviderSummary> => {
      throw new Error('set by the test that needs it');
    },
  );

  listMessageStreams = jest.fn(async () => [
    {
      id: 'outbound',
      name: 'Default Transactional Stream',
      type: 'Transactional',
    },
    { id: 'broadcast', name: 'Default Broadcast Stream', type: 'Broadcasts' },
  ]);

  listDomains = jest.fn(async () => ({
    available: this.view.accountToken.set,
    reason: this.view.accountToken.set
      ? null
      : 'Add an account token to manage domains.',
    domains: this.domains.map(({ records: _records, ...d }) => d),
  }));

  getDomain = jest.fn(async (_id: string, domainId: string) => {
    const domain = this.domains.find(d => d.id === domainId);
    if (!domain) throw await responseError(404, 'Unknown domain');
    return domain;
  });

  addDomain = jest.fn(async (_id: string, name: string) => {
    const domain: DomainDetailView = {
      id: String(this.domains.length + 1),
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
          host: `pm._domainkey.${name}`,
          value: 'k=rsa;p=abc',
          status: 'pending',
        },
      ],
    };
    this.domains.push(domain);
    return domain;
  });

  verifyDomain = jest.fn(async (id: string, domainId: string) =>
    this.getDomain(id, domainId),
  );

  removeDomain = jest.fn(async (_id: string, domainId: string) => {
    this.domains = this.domains.filter(d => d.id !== domainId);
  });

  startAddressValidation = jest.fn(async (providerId: string, csv: string) => {
    const addresses = csv.split('\n').filter(l => l.includes('@'));
    this.validation = {
      id: 'job-1',
      providerId,
      status: 'running',
      total: addresses.length,
      processed: 0,
      counts: { valid: 0, invalid: 0, risky: 0 },
      duplicates: 0,
      rows: [],
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.pendingAddresses = addresses;
    return this.validation;
  });

  /** Each poll checks one more address, so a test sees the progress move. */
  getAddressValidation = jest.fn(async () => {
    const job = this.validation!;
    const address = this.pendingAddresses.shift();
    if (address) {
      const verdict = address.startsWith('invalid') ? 'invalid' : 'valid';
      job.rows = [
        ...job.rows,
        {
          line: job.processed + 2,
          address,
          verdict,
          result: verdict === 'valid' ? 'deliverable' : 'undeliverable',
          risk: 'low',
        },
      ];
      job.counts = { ...job.counts, [verdict]: job.counts[verdict] + 1 };
      job.processed += 1;
    }
    if (this.pendingAddresses.length === 0) job.status = 'done';
    return { ...job };
  });

  getAddressValidationCsv = jest.fn(async () => 'line,address\n');

  sendTestEmail = jest.fn(async (id: string, input: { to: string }) => {
    if (input.to.endsWith('@unverified.example')) {
      throw await responseError(409, ESP_MESSAGES.domainNotVerified);
    }
    if (input.to.endsWith('@blocked.example')) {
      throw await responseError(
        400,
        "The 'From' address you supplied is not a Sender Signature on your account.",
      );
    }
    this.sentTo.push(input.to);
    return {
      messageId: 'b7bc2f4a-e38e-4336-af7d-e6c392c2f817',
      to: input.to,
      submittedAt: new Date().toISOString(),
      durationMs: 420,
      // Mailgun's Testmode accepts and delivers nothing; the answer says so.
      testMode: id === 'mailgun' && this.mailgunView.advanced.testMode,
    };
  });

  /** The routing API's state: seed it, or make the next save fail. */
  readonly routing = new FakeRoutingBackend();

  getRouting = jest.fn(async () => this.routing.current());
  saveRouting = jest.fn(
    async (config: RoutingConfigInput, baseVersion?: number) =>
      this.routing.save(config, baseVersion),
  );
  listRoutingVersions = jest.fn(async () => this.routing.list());
  rollbackRouting = jest.fn(async (version: number) =>
    this.routing.rollback(version),
  );
  /** What GET /routing/volume answers: nothing sent unless a test says so. */
  volume: RoutingVolumeView = {
    from: '2026-11-03',
    to: '2026-12-02',
    providers: { postmark: 0, mailgun: 0, smtp: 0 },
    total: 0,
  };
  getRoutingVolume = jest.fn(async () => this.volume);
  explainRouting = jest.fn(async (request: ExplainRequest) =>
    this.routing.explain(request),
  );

  /** What GET /status/:id answers; a test sets it per provider. */
  statuses: Partial<Record<string, ProviderStatusSummary>> = {};

  async getProviderStatus(providerId: string): Promise<ProviderStatusSummary> {
    const status = this.statuses[providerId];
    if (!status)
      throw await responseError(404, `Unknown provider '${providerId}'`);
    return status;
  }

  /**
   * The stored messages, newest first: the list filters and pages them
   * (cursor = the index of the next row), a message's view is made from its
   * row unless `messageDetails` holds one.
   */
  messages: MessageListItem[] = [];
  messageDetails: Record<string, MessageView> = {};

  private detailOf(item: MessageListItem): MessageView {
    return (
      this.messageDetails[item.id] ?? {
        id: item.id,
        status: item.status,
        emailType: item.emailType,
        provider: item.provider,
        providerMessageId: item.providerMessageId,
        reason: item.reason,
        attempts: [],
        trace: null,
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
      }
    );
  }

  private settle(id: string, patch: Partial<MessageListItem>) {
    this.messages = this.messages.map(m =>
      m.id === id ? { ...m, ...patch } : m,
    );
    const detail = this.messageDetails[id];
    if (detail) this.messageDetails[id] = { ...detail, ...patch };
  }

  listMessages = jest.fn(
    async (query: MessageListQuery): Promise<MessageListPage> => {
      const q = query.q?.toLowerCase();
      const matching = this.messages.filter(
        m =>
          (!query.status?.length || query.status.includes(m.status)) &&
          (!query.provider || m.provider === query.provider) &&
          (!query.emailType || m.emailType === query.emailType) &&
          (!q || m.id === query.q || m.to.some(t => t.startsWith(q))),
      );
      const start = query.cursor ? Number(query.cursor) : 0;
      const end = start + (query.limit ?? 50);
      return {
        items: matching.slice(start, end),
        ...(end < matching.length ? { nextCursor: String(end) } : {}),
      };
    },
  );

  getMessage = jest.fn(async (id: string): Promise<MessageView> => {
    const item = this.messages.find(m => m.id === id);
    if (!item) throw await responseError(404, `There is no message ${id}`);
    return this.detailOf(item);
  });

  private async unknownOrConflict(id: string) {
    const item = this.messages.find(m => m.id === id);
    if (!item) throw await responseError(404, `There is no message ${id}`);
    if (item.status !== 'unknown') {
      throw await responseError(
        409,
        `Message ${id} is ${item.status}: only a message whose outcome is unknown can be resent or marked sent.`,
      );
    }
  }

  resendMessage = jest.fn(async (id: string): Promise<MessageView> => {
    await this.unknownOrConflict(id);
    this.settle(id, { status: 'queued', reason: 'Resent by an admin' });
    return this.getMessage(id);
  });

  markMessageSent = jest.fn(
    async (id: string, input: MarkSentInput): Promise<MessageView> => {
      await this.unknownOrConflict(id);
      this.settle(id, {
        status: 'sent',
        providerMessageId: input.providerMessageId ?? null,
      });
      return this.getMessage(id);
    },
  );

  /** The receivers as GET /webhooks/endpoints answers them. */
  endpoints: WebhookEndpointView[] = [
    endpointView('postmark'),
    endpointView('mailgun'),
  ];
  listWebhookEndpoints = jest.fn(async () => this.endpoints);
  saveWebhookSubscriptions = jest.fn(
    async (provider: WebhookProviderId, subscriptions: string[]) => {
      this.endpoints = this.endpoints.map(e =>
        e.provider === provider ? { ...e, subscriptions } : e,
      );
    },
  );
  revealPostmarkWebhookUrl = jest.fn(async () => ({
    url: 'https://esp:s3cret@backstage.example.com/api/esp/webhooks/postmark',
  }));
  setMailgunSigningKey = jest.fn(async (_key: string) => {
    this.endpoints = this.endpoints.map(e =>
      e.provider === 'mailgun'
        ? { ...e, security: { ...e.security, status: 'verified' } }
        : e,
    );
  });
  getFirewallRules = jest.fn(async (format: FirewallFormat) => ({
    format,
    rules: `# ${format} rules\nallow 50.31.156.6`,
  }));

  /**
   * The stored events, newest first: the list filters and pages them
   * (cursor = the index of the next row); a view is made from the row unless
   * `eventDetails` holds one.
   */
  events: WebhookEventListItem[] = [];
  eventDetails: Record<string, WebhookEventView> = {};
  listWebhookEvents = jest.fn(
    async (query: WebhookEventQuery): Promise<WebhookEventPage> => {
      const matching = this.events.filter(
        e =>
          (!query.provider || e.provider === query.provider) &&
          (!query.type || e.type === query.type) &&
          (!query.q ||
            e.email === query.q ||
            e.messageId === query.q ||
            e.providerMessageId === query.q),
      );
      const start = query.cursor ? Number(query.cursor) : 0;
      const end = start + (query.limit ?? 50);
      return {
        items: matching.slice(start, end),
        nextCursor: end < matching.length ? String(end) : null,
      };
    },
  );
  getWebhookEvent = jest.fn(async (id: string) => {
    const item = this.events.find(e => e.id === id);
    if (!item) throw await responseError(404, `There is no event ${id}`);
    return this.eventDetails[id] ?? eventView(item);
  });
  exportWebhookEventsCsv = jest.fn(
    async (_query: WebhookEventQuery) =>
      new Blob(['id,provider\n'], { type: 'text/csv' }),
  );
  replayWebhookEvents = jest.fn(async (input: WebhookReplayInput) => ({
    queued: input.ids ? input.ids.length : this.events.length,
  }));
  /** What the next test webhook answers. */
  testResult?: WebhookTestResult;
  sendTestWebhook = jest.fn(async (input: WebhookTestInput) => {
    if (!this.testResult) {
      throw await responseError(503, `${input.provider} is not configured`);
    }
    return this.testResult;
  });

  /** The suppression list, newest first; the search matches a part of the address. */
  suppressions: SuppressionView[] = [];
  listSuppressions = jest.fn(
    async (query: { q?: string; limit?: number; offset?: number }) => {
      const q = query.q?.trim().toLowerCase();
      const matching = this.suppressions.filter(
        s => !q || s.address.includes(q),
      );
      const offset = query.offset ?? 0;
      return {
        items: matching.slice(offset, offset + (query.limit ?? 50)),
        total: matching.length,
      };
    },
  );
  addSuppression = jest.fn(
    async (input: { address: string; reason: string }) => {
      if (!input.address.includes('@')) {
        throw await responseError(400, 'Enter an email address');
      }
      const entry: SuppressionView = {
        address: input.address.trim().toLowerCase(),
        reason: input.reason,
        source: 'manual',
        provider: null,
        eventId: null,
        createdBy: 'user:default/admin',
        createdAt: new Date().toISOString(),
      };
      this.suppressions = [
        entry,
        ...this.suppressions.filter(s => s.address !== entry.address),
      ];
      return entry;
    },
  );
  removeSuppression = jest.fn(async (address: string) => {
    if (!this.suppressions.some(s => s.address === address)) {
      throw await responseError(404, `${address} is not on the list`);
    }
    this.suppressions = this.suppressions.filter(s => s.address !== address);
  });
  exportSuppressionsCsv = jest.fn(
    async (_query: { q?: string }) =>
      new Blob(['address,reason\n'], { type: 'text/csv' }),
  );

  /**
   * What GET /analytics answers: a view per query (keyed as the URL's query,
   * `range=30d` or `from=…&to=…`), else `analytics`; an Error is thrown.
   */
  analytics: AnalyticsView | Error = emptyView();
  analyticsByQuery: Record<string, AnalyticsView | Error> = {};
  getAnalytics = jest.fn(async (query: AnalyticsQuery) => {
    const key = new URLSearchParams(
      Object.entries(query).filter(([, v]) => v) as string[][],
    ).toString();
    const answer = this.analyticsByQuery[key] ?? this.analytics;
    if (answer instanceof Error) throw answer;
    return answer;
  });
  downloadBounceList = jest.fn(
    async (_query: AnalyticsQuery) =>
      new Blob(
        [
          'address,provider,reasonClass\nada@example.com,mailgun,user_unknown\n',
        ],
        {
          type: 'text/csv',
        },
      ),
  );
}
