import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import { ESP_PROVIDERS_CHANGED_TOPIC } from '@internal/plugin-esp-common';
import { randomUUID } from 'node:crypto';
import { EspStatusReader } from './EspStatusReader';
import { providerEntity } from './providerEntity';
import {
  EspProviderConfig,
  readEspProviderConfig,
} from './readEspProviderConfig';

export type EspEntityProviderOptions = {
  logger: LoggerService;
  reader: EspStatusReader;
  settings: EspProviderConfig;
  taskRunner: SchedulerServiceTaskRunner;
  events?: EventsService;
};

/**
 * One `Resource` entity per email service provider ESP Hub knows, configured
 * or not, read from esp-backend's status summary. Read in full on a schedule
 * and right after ESP Hub reports a change. A read that fails changes
 * nothing: the catalog keeps the entities of the last good read.
 */
export class EspEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  static fromConfig(
    config: RootConfigService,
    deps: {
      logger: LoggerService;
      discovery: DiscoveryService;
      auth: AuthService;
      scheduler: SchedulerService;
      events?: EventsService;
    },
  ): EspEntityProvider {
    const settings = readEspProviderConfig(config);
    return new EspEntityProvider({
      logger: deps.logger,
      reader: new EspStatusReader(deps.discovery, deps.auth),
      settings,
      taskRunner: deps.scheduler.createScheduledTaskRunner(settings.schedule),
      events: deps.events,
    });
  }

  constructor(private readonly options: EspEntityProviderOptions) {}

  getProviderName(): string {
    return 'EspEntityProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const id = `${this.getProviderName()}:refresh`;
    await this.options.taskRunner.run({
      id,
      fn: async () => {
        await this.refresh(
          this.options.logger.child({
            taskId: id,
            taskInstanceId: randomUUID(),
          }),
        );
      },
    });
    await this.options.events?.subscribe({
      id: this.getProviderName(),
      topics: [ESP_PROVIDERS_CHANGED_TOPIC],
      onEvent: async () => {
        await this.refresh(this.options.logger.child({ trigger: 'event' }));
      },
    });
  }

  /** Reads the status and replaces the entities; on failure keeps them and logs why. */
  async refresh(logger: LoggerService = this.options.logger): Promise<void> {
    if (!this.connection) {
      throw new Error('EspEntityProvider is not connected to the catalog yet');
    }
    const { reader, settings } = this.options;
    let entities;
    try {
      const location = `url:${await reader.statusUrl()}`;
      const summaries = await reader.read();
      entities = summaries.map(summary => ({
        entity: providerEntity(summary, settings, location),
        locationKey: this.getProviderName(),
      }));
    } catch (error) {
      logger.warn(
        `Could not read the email service providers from ESP Hub; the catalog keeps the last ones read: ${String(
          error,
        )}`,
      );
      return;
    }
    await this.connection.applyMutation({ type: 'full', entities });
    logger.info(`Read ${entities.length} email service providers from ESP Hub`);
  }
}
