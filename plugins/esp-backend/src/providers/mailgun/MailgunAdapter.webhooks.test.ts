import {
  MailgunSandbox,
  startMailgunSandbox,
} from '@internal/plugin-esp-backend-module-sandbox';
import { ProviderError } from '../errors';
import { MailgunAdapter, MailgunConnection } from './MailgunAdapter';

const KEY = 'key-webhooks-0123456789abcdef';
const URL = 'https://esp.example.com/api/esp/webhooks/mailgun';

describe('MailgunAdapter webhooks, signing key and suppressions, against the Mailgun stand-in', () => {
  const adapter = new MailgunAdapter();
  let sandbox: MailgunSandbox;
  let conn: MailgunConnection;

  beforeEach(async () => {
    sandbox = await startMailgunSandbox({ apiKeys: [KEY] });
    sandbox.state.addVerifiedDomain('mg.example.com');
    conn = {
      apiKey: KEY,
      baseUrl: sandbox.baseUrl,
      timeoutSeconds: 5,
      domain: 'mg.example.com',
      region: 'us',
      testMode: false,
      dkimSigning: false,
    };
  });

  afterEach(() => sandbox.close());

  const hooks = () =>
    Object.fromEntries(sandbox.state.webhooks.get('mg.example.com') ?? []);

  it('registers one webhook per subscribed id, unsubscribed spelled as Mailgun does', async () => {
    await adapter.registerWebhooks(conn, {
      url: URL,
      subscriptions: ['delivered', 'permanent_fail', 'unsubscribed'],
    });
    expect(hooks()).toEqual({
      delivered: [URL],
      permanent_fail: [URL],
      unsubscribed: [URL],
    });

    // Saved again with other ids: added, kept, and removed where unsubscribed.
    await adapter.registerWebhooks(conn, {
      url: URL,
      subscriptions: ['delivered', 'opened'],
    });
    expect(hooks()).toEqual({ delivered: [URL], opened: [URL] });
  });

  it('keeps urls someone else registered on the same id', async () => {
    sandbox.state.webhooks.set(
      'mg.example.com',
      new Map([['delivered', ['https://crm.example.com/mailgun']]]),
    );
    await adapter.registerWebhooks(conn, {
      url: URL,
      subscriptions: ['delivered'],
    });
    expect(hooks()).toEqual({
      delivered: ['https://crm.example.com/mailgun', URL],
    });
    await adapter.registerWebhooks(conn, { url: URL, subscriptions: [] });
    expect(hooks()).toEqual({ delivered: ['https://crm.example.com/mailgun'] });
  });

  it('fetches the account’s HTTP webhook signing key, and says when the key is wrong', async () => {
    await expect(adapter.fetchWebhookSigningKey(conn)).resolves.toBe(
      sandbox.state.httpSigningKey,
    );
    const error = await adapter
      .fetchWebhookSigningKey({ ...conn, apiKey: 'wrong' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('invalid_credentials');
  });

  it('adds to the list of the kind and removes from every list', async () => {
    await adapter.addSuppression(conn, {
      address: 'gone@example.com',
      kind: 'bounce',
      reason: 'User unknown',
    });
    await adapter.addSuppression(conn, {
      address: 'left@example.com',
      kind: 'unsubscribe',
      reason: 'Unsubscribed',
    });
    await adapter.addSuppression(conn, {
      address: 'angry@example.com',
      kind: 'complaint',
      reason: 'Spam complaint',
    });
    await adapter.removeSuppression(conn, 'gone@example.com');
    expect(sandbox.state.suppressionCalls).toEqual([
      {
        action: 'add',
        domain: 'mg.example.com',
        list: 'bounces',
        address: 'gone@example.com',
        fields: { code: '550', error: 'User unknown' },
      },
      {
        action: 'add',
        domain: 'mg.example.com',
        list: 'unsubscribes',
        address: 'left@example.com',
        fields: { tag: '*' },
      },
      {
        action: 'add',
        domain: 'mg.example.com',
        list: 'complaints',
        address: 'angry@example.com',
        fields: {},
      },
      // Only the bounce list had it; the others answered 404, which is fine.
      {
        action: 'delete',
        domain: 'mg.example.com',
        list: 'bounces',
        address: 'gone@example.com',
      },
    ]);
  });
});
