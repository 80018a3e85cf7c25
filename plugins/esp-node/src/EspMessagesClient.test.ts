import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
// The test sends to the real ESP Hub backend plugin, not to a stand-in of it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import espPlugin from '@internal/plugin-esp-backend';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { espMessagesServiceRef } from './espMessagesServiceRef';
import type { EspMessagesService } from './EspMessagesClient';

const message = {
  to: ['ada@example.com'],
  subject: 'Your invoice',
  text: 'It is attached.',
  emailType: 'transactional' as const,
};

// A plugin of the portal that sends through ESP Hub: it only declares the ref.
function senderPlugin(received: (client: EspMessagesService) => void) {
  return createBackendPlugin({
    pluginId: 'billing',
    register(env) {
      env.registerInit({
        deps: { esp: espMessagesServiceRef },
        async init({ esp }) {
          received(esp);
        },
      });
    },
  });
}

describe('espMessagesServiceRef', () => {
  let knex: Knex;
  let esp: EspMessagesService;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const backend = await startTestBackend({
      features: [
        espPlugin,
        senderPlugin(client => {
          esp = client;
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            esp: {
              secrets: {
                keys: [{ id: 'test', key: randomBytes(32).toString('base64') }],
              },
            },
          },
        }),
      ],
    });
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    await knex.destroy();
  });

  it('sends with one call, as the calling plugin, and reads the message back', async () => {
    const result = await esp.send(message);
    expect(result.messages).toHaveLength(1);
    const [{ id, status }] = result.messages;
    expect(status).toBe('queued');

    const view = await esp.get(id);
    expect(view.id).toBe(id);
    expect(view.emailType).toBe('transactional');

    // Stored under the calling plugin's service principal.
    const row = await knex('esp_messages').where({ id }).first();
    expect(row.created_by).toContain('billing');
  });

  it('answers a repeated idempotency key with the first answer', async () => {
    const first = await esp.send([message, message], {
      idempotencyKey: 'invoice-42',
    });
    const again = await esp.send([message, message], {
      idempotencyKey: 'invoice-42',
    });
    expect(again.messages.map(m => m.id)).toEqual(
      first.messages.map(m => m.id),
    );
  });

  it("throws the API's 400, naming the message and field, and stores nothing", async () => {
    const before = await knex('esp_messages').count({ n: '*' }).first();
    const error = await esp
      .send([message, { ...message, to: [] }])
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(400);
    // Backstage's error shape: the API's sentence is the cause.
    expect(error.cause.message).toBe(
      'Nothing was sent. Message 1 (messages[1]): Recipient Email: Add at least one recipient.',
    );
    const after = await knex('esp_messages').count({ n: '*' }).first();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('refuses more than 500 messages before calling', async () => {
    await expect(
      esp.send(Array.from({ length: 501 }, () => message)),
    ).rejects.toThrow('at most 500 messages per call; got 501');
  });
});
