import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  PROVIDER_IDS,
  ProviderStatusList,
  ProviderStatusSummary,
} from '@internal/plugin-esp-common';

// The status answers in well under a second; a hung esp-backend must not
// hold the catalog's task until its timeout.
const READ_TIMEOUT_MS = 30_000;

/**
 * Reads the providers' status summary from esp-backend over HTTP, as a
 * service: the catalog cannot read ESP Hub's database, and this route is the
 * one esp-backend opens to services.
 */
export class EspStatusReader {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Where the status is read from; the entities' location. */
  async statusUrl(): Promise<string> {
    return `${await this.discovery.getBaseUrl('esp')}/status`;
  }

  async read(): Promise<ProviderStatusSummary[]> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'esp',
    });
    const response = await fetch(await this.statusUrl(), {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(READ_TIMEOUT_MS),
    });
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      // The log line should say what esp-backend said, not only its status.
      throw new Error(`${error.message}: ${error.body.error.message}`);
    }
    const body = (await response.json()) as Partial<ProviderStatusList>;
    if (!Array.isArray(body?.providers)) {
      throw new Error('ESP Hub answered its status without a provider list');
    }
    // A provider this module does not know yet (a newer esp-backend) is left
    // out rather than turned into an entity it cannot describe.
    return body.providers.filter(
      p =>
        typeof p?.providerId === 'string' &&
        (PROVIDER_IDS as readonly string[]).includes(p.providerId),
    );
  }
}
