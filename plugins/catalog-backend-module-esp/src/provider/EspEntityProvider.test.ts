import type {
  DiscoveryService,
  SchedulerServiceTaskFunction,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  DeferredEntity,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  ESP_PROVIDERS_CHANGED_TOPIC,
  ProviderStatusSummary,
} from '@internal/plugin-esp-common';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EspEntityProvider } from './EspEntityProvider';

const usage = { sentToday: 0, deliveryRate: null, lastUsedAt: null };

function summary(
  providerId: ProviderStatusSummary['providerId'],
  displayName: string,
  extra: Partial<ProviderStatusSummary> = {},
): ProviderStatusSummary {
  return {
    providerId,
    displayName,
    comingSoon: false,
    configured: false,
    enabled: false,
    status: 'not_configured',
    region: null,
    verifiedDomains: [],
    emailTypes: [],
    usage,
    ...extra,
  };
}

// Values only the admin pages may ever show: if a (faulty or newer)
// esp-backend put them in its answer, they must still not reach the catalog.
const SECRET = 'srv-7f3c9a12-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
const ADMIN_ONLY = [
  'noreply@internal.example.com',
  'Invalid API key from 10.0.0.7',
];

/** Every state a provider can be in, as esp-backend's /status answers it. */
function allStates(): object[] {
  return [
    {
      ...summary('postmark', 'Postmark', {
        configured: true,
        enabled: true,
        status: 'active',
        verifiedDomains: ['mail.example.com'],
        emailTypes: ['transactional', 'cold_outreach'],
      }),
      serverToken: SECRET,
      defaultSender: ADMIN_ONLY[0],
    },
    summary('mailgun', 'Mailgun', {
      configured: true,
      enabled: false,
      status: 'configured',
      region: 'eu',
      emailTypes: ['marketing'],
    }),
    {
      ...summary('smtp', 'Built-in SMTP', {
        configured: true,
        enabled: true,
        status: 'error',
      }),
      connection: { state: 'disconnected', lastError: ADMIN_ONLY[1] },
      settings: { host: 'relay.internal', password: SECRET },
    },
    summary('sendgrid', 'SendGrid', { comingSoon: true }),
    summary('ses', 'Amazon SES', { comingSoon: true }),
  ];
}

/** A stand-in esp-backend on a real port: answers /api/esp/status as told, and records each request. */
async function startEspBackend() {
  const state = {
    status: 200,
    providers: allStates(),
    authorizations: [] as Array<string | undefined>,
  };
  const server = http.createServer((req, res) => {
    state.authorizations.push(req.headers.authorization);
    if (req.url !== '/api/esp/status') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(state.status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        state.status === 200
          ? { providers: state.providers }
          : { error: { name: 'Error', message: 'database unavailable' } },
      ),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const discovery: DiscoveryService = {
    getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
  };
  return { state, discovery, close: () => server.close() };
}

function recordingConnection() {
  const mutations: DeferredEntity[][] = [];
  const connection: EntityProviderConnection = {
    applyMutation: jest.fn(async mutation => {
      if (mutation.type !== 'full') throw new Error('expected a full mutation');
      mutations.push(mutation.entities);
    }),
    refresh: jest.fn(),
  };
  return { connection, mutations, latest: () => mutations.at(-1)! };
}

describe('EspEntityProvider', () => {
  let esp: Awaited<ReturnType<typeof startEspBackend>>;
  beforeEach(async () => {
    esp = await startEspBackend();
  });
  afterEach(() => esp.close());

  async function setup(catalogConfig: object = {}) {
    const events = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    const logger = mockServices.logger.mock();
    // The task's and the event's log lines land on the same mock.
    logger.child.mockReturnValue(logger);
    let scheduled: SchedulerServiceTaskFunction | undefined;
    const createScheduledTaskRunner = jest.fn(
      (_schedule: SchedulerServiceTaskScheduleDefinition) => ({
        run: jest.fn(
          async ({ fn }: SchedulerServiceTaskInvocationDefinition) => {
            scheduled = fn;
          },
        ),
      }),
    );
    const provider = EspEntityProvider.fromConfig(
      mockServices.rootConfig({
        data: {
          app: { baseUrl: 'https://portal.example.com/' },
          catalog: { providers: { esp: catalogConfig } },
        },
      }),
      {
        logger,
        discovery: esp.discovery,
        auth: mockServices.auth({ pluginId: 'catalog' }),
        scheduler: mockServices.scheduler.mock({ createScheduledTaskRunner }),
        events: events.forPlugin('catalog'),
      },
    );
    const recorded = recordingConnection();
    await provider.connect(recorded.connection);
    const runSchedule = async () => {
      await scheduled!(new AbortController().signal);
    };
    return {
      provider,
      logger,
      events,
      createScheduledTaskRunner,
      runSchedule,
      ...recorded,
    };
  }

  const byName = (entities: DeferredEntity[]) =>
    Object.fromEntries(entities.map(e => [e.entity.metadata.name, e.entity]));

  it('emits one Resource per provider ESP Hub knows, in every state', async () => {
    const { runSchedule, latest } = await setup({ lifecycle: 'experimental' });
    await runSchedule();
    const entities = byName(latest());
    expect(Object.keys(entities)).toEqual([
      'esp-postmark',
      'esp-mailgun',
      'esp-smtp',
      'esp-sendgrid',
      'esp-ses',
    ]);
    for (const { entity, locationKey } of latest()) {
      expect(entity).toMatchObject({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        spec: {
          type: 'email-service-provider',
          owner: 'group:default/esp-admins',
          lifecycle: 'experimental',
        },
      });
      expect(locationKey).toBe('EspEntityProvider');
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': `url:${await esp.discovery.getBaseUrl(
          'esp',
        )}/status`,
      });
    }

    // Configured, enabled and checked: active, tagged by the types routed to it.
    expect(entities['esp-postmark'].metadata).toMatchObject({
      title: 'Postmark',
      description: expect.stringContaining('active'),
      tags: ['transactional', 'cold-outreach'],
      links: [
        {
          url: 'https://portal.example.com/dashboard/settings/integrations/esp/postmark',
          title: 'Postmark in ESP Hub',
        },
      ],
    });
    expect(entities['esp-postmark'].metadata.annotations).toMatchObject({
      'backstage.io/view-url':
        'https://portal.example.com/dashboard/settings/integrations/esp/postmark',
      'esp-hub.io/provider-id': 'postmark',
      'esp-hub.io/status': 'active',
    });
    expect(
      entities['esp-postmark'].metadata.annotations?.['esp-hub.io/region'],
    ).toBeUndefined();

    // Configured, disabled: its region is shown.
    expect(entities['esp-mailgun'].metadata.annotations).toMatchObject({
      'esp-hub.io/status': 'configured',
      'esp-hub.io/region': 'eu',
    });
    expect(entities['esp-mailgun'].metadata.description).toContain(
      'configured but disabled',
    );
    expect(entities['esp-mailgun'].metadata.tags).toEqual(['marketing']);

    // Failing its check.
    expect(entities['esp-smtp'].metadata.annotations).toMatchObject({
      'esp-hub.io/status': 'error',
    });
    expect(entities['esp-smtp'].metadata.tags).toEqual([]);

    // Not configured (no adapter yet): still an entity, linking to the overview.
    expect(entities['esp-ses'].metadata).toMatchObject({
      title: 'Amazon SES',
      annotations: { 'esp-hub.io/status': 'not_configured' },
      links: [
        {
          url: 'https://portal.example.com/dashboard/settings/integrations/esp/overview',
        },
      ],
    });
  });

  it('puts nothing secret or admin-only into any entity', async () => {
    const { runSchedule, latest } = await setup();
    await runSchedule();
    const text = JSON.stringify(latest());
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(-4));
    for (const value of [...ADMIN_ONLY, 'relay.internal']) {
      expect(text).not.toContain(value);
    }
  });

  it('reads ESP Hub with a service token for esp-backend', async () => {
    const { runSchedule } = await setup();
    await runSchedule();
    expect(esp.state.authorizations).toEqual([
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:catalog'),
        targetPluginId: 'esp',
      }),
    ]);
  });

  it('reads again at once when ESP Hub reports a change', async () => {
    const { runSchedule, latest, events, mutations } = await setup();
    await runSchedule();
    expect(byName(latest())['esp-postmark'].metadata.annotations).toMatchObject(
      { 'esp-hub.io/status': 'active' },
    );

    // An admin disables Postmark: esp-backend stores it, then publishes.
    esp.state.providers[0] = {
      ...summary('postmark', 'Postmark', {
        configured: true,
        enabled: false,
        status: 'configured',
      }),
    };
    await events.forPlugin('esp').publish({
      topic: ESP_PROVIDERS_CHANGED_TOPIC,
      eventPayload: { providerId: 'postmark', change: 'provider-enabled' },
    });

    expect(mutations).toHaveLength(2);
    expect(byName(latest())['esp-postmark'].metadata.annotations).toMatchObject(
      { 'esp-hub.io/status': 'configured' },
    );
  });

  it('keeps the last entities when a read fails, and says why', async () => {
    const { runSchedule, mutations, logger, events } = await setup();
    await runSchedule();
    expect(mutations).toHaveLength(1);

    esp.state.status = 500;
    await runSchedule();
    await events.forPlugin('esp').publish({
      topic: ESP_PROVIDERS_CHANGED_TOPIC,
      eventPayload: { change: 'routing' },
    });
    // No full mutation of nothing: the catalog still has the five entities.
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database unavailable'),
    );

    esp.close();
    await runSchedule();
    expect(mutations).toHaveLength(1);

    esp = await startEspBackend();
    esp.state.providers = [{ unexpected: true }];
    await runSchedule();
    expect(mutations).toHaveLength(1);
  });

  it('refreshes on the configured schedule, every 10 minutes by default', async () => {
    const defaults = await setup();
    expect(defaults.createScheduledTaskRunner).toHaveBeenCalledWith(
      expect.objectContaining({
        frequency: { minutes: 10 },
        timeout: { minutes: 2 },
      }),
    );
    const configured = await setup({
      schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
    });
    expect(configured.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { minutes: 1 },
      timeout: { seconds: 30 },
    });
  });

  it('takes the owner from the config, and refuses one that is no entity ref', async () => {
    const { runSchedule, latest } = await setup({ owner: 'ops' });
    await runSchedule();
    expect(latest()[0].entity.spec?.owner).toBe('group:default/ops');
    await expect(setup({ owner: 'user:' })).rejects.toThrow(
      /catalog.providers.esp.owner/,
    );
  });
});
