import {
  PostmarkSandbox,
  startPostmarkSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ProviderError } from '../errors';
import { PostmarkAdapter, PostmarkConnection } from './PostmarkAdapter';

const SERVER_TOKEN = 'server-token-webhooks-1234';
const URL = 'https://esp.example.com/api/esp/webhooks/postmark';
const AUTH = {
  username: 'esp-hub',
  password: 'generated-password-0001',
  header: { name: 'X-ESP-Hub-Secret', value: 'header-secret-0001' },
};

describe('PostmarkAdapter webhooks and suppressions, against the Postmark stand-in', () => {
  let sandbox: PostmarkSandbox;
  let conn: PostmarkConnection;
  const adapter = new PostmarkAdapter();

  beforeEach(async () => {
    sandbox = await startPostmarkSandbox({ serverTokens: [SERVER_TOKEN] });
    conn = {
      serverToken: SERVER_TOKEN,
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      messageStream: 'outbound',
    };
  });

  afterEach(() => sandbox.close());

  it('creates ESP Hub’s webhook with the credentials, header and triggers, then updates it in place', async () => {
    await adapter.registerWebhooks(conn, {
      url: URL,
      auth: AUTH,
      subscriptions: ['Delivery', 'Bounce'],
    });
    expect(sandbox.state.webhooks).toHaveLength(1);
    const [hook] = sandbox.state.webhooks;
    expect(hook).toMatchObject({
      Url: URL,
      MessageStream: 'outbound',
      HttpAuth: { Username: 'esp-hub', Password: 'generated-password-0001' },
      HttpHeaders: [{ Name: 'X-ESP-Hub-Secret', Value: 'header-secret-0001' }],
    });
    expect(hook.Triggers.Delivery.Enabled).toBe(true);
    expect(hook.Triggers.Bounce.Enabled).toBe(true);
    expect(hook.Triggers.Open.Enabled).toBe(false);

    await adapter.registerWebhooks(conn, {
      url: URL,
      auth: AUTH,
      subscriptions: ['Open', 'Click'],
    });
    expect(sandbox.state.webhooks).toHaveLength(1);
    expect(sandbox.state.webhooks[0].ID).toBe(hook.ID);
    expect(sandbox.state.webhooks[0].Triggers.Delivery.Enabled).toBe(false);
    expect(sandbox.state.webhooks[0].Triggers.Click.Enabled).toBe(true);
  });

  it('leaves another webhook of the server alone and removes its own when nothing is subscribed', async () => {
    sandbox.state.webhooks.push({
      ID: 1,
      Url: 'https://other.example.com/hook',
      MessageStream: 'outbound',
      HttpAuth: null,
      HttpHeaders: [],
      Triggers: {
        Open: { Enabled: true, PostFirstOpenOnly: false },
        Click: { Enabled: false },
        Delivery: { Enabled: false },
        Bounce: { Enabled: false, IncludeContent: false },
        SpamComplaint: { Enabled: false, IncludeContent: false },
        SubscriptionChange: { Enabled: false },
      },
    });
    await adapter.registerWebhooks(conn, {
      url: URL,
      auth: AUTH,
      subscriptions: ['Delivery'],
    });
    expect(sandbox.state.webhooks.map(w => w.Url)).toEqual([
      'https://other.example.com/hook',
      URL,
    ]);
    await adapter.registerWebhooks(conn, { url: URL, subscriptions: [] });
    expect(sandbox.state.webhooks.map(w => w.Url)).toEqual([
      'https://other.example.com/hook',
    ]);
  });

  it('reports a bad server token as a ProviderError', async () => {
    const error = await adapter
      .registerWebhooks(
        { ...conn, serverToken: 'wrong' },
        { url: URL, subscriptions: ['Delivery'] },
      )
      .catch(e => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('invalid_credentials');
  });

  it('adds and deletes suppressions on the stream', async () => {
    await adapter.addSuppression(conn, {
      address: 'blocked@example.com',
      kind: 'bounce',
      reason: 'Blocked by an admin',
    });
    await adapter.removeSuppression(conn, 'blocked@example.com');
    expect(sandbox.state.suppressionCalls).toEqual([
      { action: 'add', stream: 'outbound', addresses: ['blocked@example.com'] },
      {
        action: 'delete',
        stream: 'outbound',
        addresses: ['blocked@example.com'],
      },
    ]);
  });
});
