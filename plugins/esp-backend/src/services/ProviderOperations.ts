import { ConflictError } from '@backstage/errors';
import {
  ConfigurableProviderId,
  DomainDetailView,
  DomainListView,
  DomainView,
  ESP_MESSAGES,
  MessageStream,
  TestEmailInput,
  TestEmailResult,
} from '@internal/plugin-esp-common';
import type { ProviderAdapter, ProviderConnection } from '../providers/types';
import { LiveConnection, ProviderConnections } from './ProviderConnections';
import { testEmailContent } from './testEmailContent';

/**
 * What an admin does with a configured provider besides configuring it: message
 * streams, sending domains and test emails. All of it runs on the stored
 * credentials, so every action needs a configuration first (409 otherwise).
 */
export class ProviderOperations {
  constructor(
    private readonly connections: ProviderConnections,
    /** Called after each domain change, so cached overviews are dropped and the catalog told. */
    private readonly onChange: (
      providerId: ConfigurableProviderId,
    ) => Promise<void>,
    /** Told of each test email the provider accepted: test emails count as sends. */
    private readonly onTestEmailSent: (
      providerId: ConfigurableProviderId,
      at: Date,
    ) => Promise<void> = async () => {},
  ) {}

  async listMessageStreams(providerId: string): Promise<MessageStream[]> {
    const live = await this.connections.requireConnection(providerId);
    const list = live.adapter.listMessageStreams?.bind(live.adapter);
    if (!list) return [];
    return this.connections.call(live.adapter, live.secrets, () =>
      list(live.conn),
    );
  }

  async listDomains(providerId: string): Promise<DomainListView> {
    const { adapter } = this.connections.requireAdapter(providerId);
    const live = await this.connections.findConnection(providerId);
    if (!live) {
      return unavailable(`${adapter.displayName} is not configured yet.`);
    }
    const reason = domainsUnavailableReason(live);
    if (reason || !adapter.listDomains) {
      return unavailable(
        reason ?? `${adapter.displayName} domains cannot be managed here.`,
      );
    }
    return this.connections.call(adapter, live.secrets, () =>
      adapter.listDomains!(live.conn),
    );
  }

  async getDomain(
    providerId: string,
    domainId: string,
  ): Promise<DomainDetailView> {
    return this.domainCall(providerId, 'getDomain', (a, c) =>
      a.getDomain!(c, domainId),
    );
  }

  async addDomain(providerId: string, name: string): Promise<DomainDetailView> {
    return this.domainCall(providerId, 'addDomain', (a, c) =>
      a.addDomain!(c, name),
    );
  }

  async verifyDomain(
    providerId: string,
    domainId: string,
  ): Promise<DomainView> {
    return this.domainCall(providerId, 'verifyDomain', (a, c) =>
      a.verifyDomain!(c, domainId),
    );
  }

  async removeDomain(providerId: string, domainId: string): Promise<void> {
    return this.domainCall(providerId, 'removeDomain', (a, c) =>
      a.removeDomain!(c, domainId),
    );
  }

  async sendTestEmail(
    providerId: string,
    input: TestEmailInput,
  ): Promise<TestEmailResult> {
    const live = await this.connections.requireConnection(providerId);
    if (!live.stored.enabled) {
      // The overview's Disable toggle means the provider is not used at all.
      throw new ConflictError(
        `${live.adapter.displayName} is disabled: enable it on the overview to send`,
      );
    }
    const { profile } = live;
    const settings = profile.readSettings(live.stored.settings);
    const defaults = profile.sendDefaults(settings);
    if (typeof defaults === 'string') {
      throw new ConflictError(defaults);
    }
    await this.requireVerifiedSender(live, profile.senderToCheck(settings));
    const tags =
      input.tags && (profile.tagsFor?.(settings, input.tags) ?? input.tags);
    // Mailgun's Testmode accepts and logs a message without delivering it.
    const testMode = profile.sendsInTestMode?.(settings) ?? false;
    const started = performance.now();
    const receipt = await this.connections.call(
      live.adapter,
      live.secrets,
      () =>
        live.adapter.sendEmail(live.conn, {
          ...defaults,
          to: input.to,
          ...testEmailContent(live.adapter.displayName, new Date(), {
            testMode,
          }),
          ...(tags ? { tags } : {}),
        }),
    );
    await this.onTestEmailSent(live.id, new Date());
    return {
      messageId: receipt.messageId,
      to: input.to,
      submittedAt: receipt.submittedAt,
      durationMs: Math.round(performance.now() - started),
      testMode,
    };
  }

  /**
   * The spec: "Block sending until domain verified". Only a clear "unverified"
   * blocks; when the provider cannot tell (no account token, outage) the send
   * goes ahead and the provider itself has the last word.
   */
  private async requireVerifiedSender(
    live: LiveConnection,
    address: string | null,
  ) {
    if (!address || !live.adapter.checkSender) return;
    let status;
    try {
      status = (await live.adapter.checkSender(live.conn, address)).status;
    } catch {
      return;
    }
    if (status === 'unverified') {
      throw new ConflictError(ESP_MESSAGES.domainNotVerified);
    }
  }

  private async domainCall<T>(
    providerId: string,
    method: 'getDomain' | 'addDomain' | 'verifyDomain' | 'removeDomain',
    fn: (adapter: ProviderAdapter, conn: ProviderConnection) => Promise<T>,
  ): Promise<T> {
    const live = await this.connections.requireConnection(providerId);
    const reason = domainsUnavailableReason(live);
    if (reason || !live.adapter[method]) {
      throw new ConflictError(
        reason ?? `${live.adapter.displayName} domains cannot be managed here.`,
      );
    }
    const result = await this.connections.call(live.adapter, live.secrets, () =>
      fn(live.adapter, live.conn),
    );
    if (method !== 'getDomain') {
      await this.onChange(live.id);
    }
    return result;
  }
}

function unavailable(reason: string): DomainListView {
  return { available: false, reason, domains: [] };
}

function domainsUnavailableReason(live: LiveConnection): string | null {
  if (!live.adapter.capabilities.domainManagement) {
    return `${live.adapter.displayName} domains cannot be managed here.`;
  }
  return live.profile.domainsUnavailableReason?.(live.conn) ?? null;
}
