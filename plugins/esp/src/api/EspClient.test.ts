import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { errorMessage } from '../lib/errorMessage';
import { EspClient } from './EspClient';

const BASE = 'http://backend.test/api/esp';

const server = setupServer();
registerMswTestHooks(server);

/** Every request the fake backend saw, as method, path (below /api/esp) and body. */
let seen: Array<{ method: string; path: string; body: unknown }>;

/** A backend that records each call and answers every route with `answer`. */
function answerAll(answer: () => Response) {
  seen = [];
  server.use(
    http.all(`${BASE}/*`, async ({ request }) => {
      const text = await request.text();
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname.replace('/api/esp', ''),
        body: text ? JSON.parse(text) : undefined,
      });
      return answer();
    }),
  );
}

function makeClient() {
  const calls: string[] = [];
  const client = new EspClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => {
        calls.push(id);
        return BASE;
      },
    },
    // The portal's fetchApi adds the user's token; plain fetch stands in for it.
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
  return { client, discovered: calls };
}

describe('EspClient', () => {
  it.each<
    [string, (c: EspClient) => Promise<unknown>, string, string, unknown]
  >([
    ['listProviders', c => c.listProviders(), 'GET', '/providers', undefined],
    [
      'getMessage',
      c => c.getMessage('m/1'),
      'GET',
      '/messages/m%2F1',
      undefined,
    ],
    [
      'resendMessage',
      c => c.resendMessage('m-1'),
      'POST',
      '/messages/m-1/resend',
      undefined,
    ],
    [
      'markMessageSent',
      c => c.markMessageSent('m-1', { providerMessageId: 'pm-9' }),
      'POST',
      '/messages/m-1/mark-sent',
      { providerMessageId: 'pm-9' },
    ],
    [
      'getProviderStatus',
      c => c.getProviderStatus('postmark'),
      'GET',
      '/status/postmark',
      undefined,
    ],
    [
      "getConfig('postmark')",
      c => c.getConfig('postmark'),
      'GET',
      '/providers/postmark',
      undefined,
    ],
    [
      "saveConfig('postmark')",
      c => c.saveConfig('postmark', { defaultSender: 'a@example.com' } as any),
      'POST',
      '/providers/postmark',
      { defaultSender: 'a@example.com' },
    ],
    [
      "getConfig('mailgun')",
      c => c.getConfig('mailgun'),
      'GET',
      '/providers/mailgun',
      undefined,
    ],
    [
      "saveConfig('mailgun')",
      c => c.saveConfig('mailgun', { domain: 'mg.example.com' } as any),
      'POST',
      '/providers/mailgun',
      { domain: 'mg.example.com' },
    ],
    [
      "getConfig('smtp')",
      c => c.getConfig('smtp'),
      'GET',
      '/providers/smtp',
      undefined,
    ],
    [
      "saveConfig('smtp')",
      c => c.saveConfig('smtp', { host: 'relay' } as any),
      'POST',
      '/providers/smtp',
      { host: 'relay' },
    ],
    [
      'validateCredentials',
      c => c.validateCredentials('postmark', 'tok'),
      'POST',
      '/providers/postmark/credentials/validate',
      { apiKey: 'tok' },
    ],
    [
      'testConnection',
      c => c.testConnection('postmark'),
      'POST',
      '/providers/postmark/test',
      undefined,
    ],
    [
      'setProviderEnabled',
      c => c.setProviderEnabled('postmark', false),
      'PUT',
      '/providers/postmark/enabled',
      { enabled: false },
    ],
    [
      'listMessageStreams',
      c => c.listMessageStreams('postmark'),
      'GET',
      '/providers/postmark/message-streams',
      undefined,
    ],
    [
      'listDomains',
      c => c.listDomains('postmark'),
      'GET',
      '/providers/postmark/domains',
      undefined,
    ],
    [
      'getDomain',
      c => c.getDomain('postmark', '42'),
      'GET',
      '/providers/postmark/domains/42',
      undefined,
    ],
    [
      'addDomain',
      c => c.addDomain('postmark', 'mail.example.com'),
      'POST',
      '/providers/postmark/domains',
      { name: 'mail.example.com' },
    ],
    [
      'verifyDomain',
      c => c.verifyDomain('postmark', '42'),
      'POST',
      '/providers/postmark/domains/42/verify',
      undefined,
    ],
    [
      'removeDomain',
      c => c.removeDomain('postmark', '42'),
      'DELETE',
      '/providers/postmark/domains/42',
      undefined,
    ],
    [
      'sendTestEmail',
      c => c.sendTestEmail('postmark', { to: 'me@example.com' }),
      'POST',
      '/providers/postmark/test-email',
      { to: 'me@example.com' },
    ],
    [
      'startAddressValidation',
      c => c.startAddressValidation('mailgun', 'email\na@example.com'),
      'POST',
      '/providers/mailgun/address-validations',
      { csv: 'email\na@example.com' },
    ],
    [
      'getAddressValidation',
      c => c.getAddressValidation('mailgun', 'job-1'),
      'GET',
      '/providers/mailgun/address-validations/job-1',
      undefined,
    ],
    ['getRouting', c => c.getRouting(), 'GET', '/routing', undefined],
    [
      'saveRouting with the version it edited',
      c => c.saveRouting({ defaultProvider: 'smtp' } as any, 3),
      'PUT',
      '/routing',
      { defaultProvider: 'smtp', baseVersion: 3 },
    ],
    [
      'saveRouting without a version',
      c => c.saveRouting({ defaultProvider: 'smtp' } as any),
      'PUT',
      '/routing',
      { defaultProvider: 'smtp' },
    ],
    [
      'listRoutingVersions',
      c => c.listRoutingVersions(),
      'GET',
      '/routing/versions',
      undefined,
    ],
    [
      'rollbackRouting',
      c => c.rollbackRouting(2),
      'POST',
      '/routing/versions/2/rollback',
      undefined,
    ],
    [
      'explainRouting',
      c =>
        c.explainRouting({
          message: { emailType: 'marketing', subject: 'Hi', to: ['a@b.c'] },
        }),
      'POST',
      '/routing/explain',
      { message: { emailType: 'marketing', subject: 'Hi', to: ['a@b.c'] } },
    ],
  ])(
    '%s sends the request docs/api.md names',
    async (_name, call, method, path, body) => {
      answerAll(() => HttpResponse.json({}));
      const { client, discovered } = makeClient();
      await call(client);
      expect(seen).toEqual([{ method, path, body }]);
      expect(discovered).toEqual(['esp']);
    },
  );

  it.each<
    [string, (c: EspClient) => Promise<unknown>, string, string, unknown]
  >([
    [
      'saveWebhookSubscriptions',
      c => c.saveWebhookSubscriptions('mailgun', ['delivered', 'opened']),
      'PUT',
      '/webhooks/mailgun/subscriptions',
      { subscriptions: ['delivered', 'opened'] },
    ],
    [
      'revealPostmarkWebhookUrl',
      c => c.revealPostmarkWebhookUrl(),
      'POST',
      '/webhooks/postmark/reveal',
      undefined,
    ],
    [
      'setMailgunSigningKey',
      c => c.setMailgunSigningKey('key-1'),
      'PUT',
      '/providers/mailgun/webhook-signing-key',
      { signingKey: 'key-1' },
    ],
    [
      'sendTestWebhook',
      c => c.sendTestWebhook({ provider: 'postmark', eventType: 'bounced' }),
      'POST',
      '/webhooks/test',
      { provider: 'postmark', eventType: 'bounced' },
    ],
    [
      'getWebhookEvent',
      c => c.getWebhookEvent('e/1'),
      'GET',
      '/webhooks/events/e%2F1',
      undefined,
    ],
    [
      'replayWebhookEvents',
      c => c.replayWebhookEvents({ filter: { provider: 'mailgun' } }),
      'POST',
      '/webhooks/events/replay',
      { filter: { provider: 'mailgun' } },
    ],
    [
      'addSuppression',
      c => c.addSuppression({ address: 'a@example.com', reason: 'Asked' }),
      'POST',
      '/suppressions',
      { address: 'a@example.com', reason: 'Asked' },
    ],
    [
      'removeSuppression',
      c => c.removeSuppression('a+b@example.com'),
      'DELETE',
      '/suppressions/a%2Bb%40example.com',
      undefined,
    ],
  ])(
    'calls the webhooks and suppression routes: %s',
    async (_name, call, method, path, body) => {
      answerAll(() => HttpResponse.json({ url: 'x', queued: 1 }));
      const { client } = makeClient();
      await call(client);
      expect(seen).toEqual([{ method, path, body }]);
    },
  );

  it('sends the webhook event filters as a query, the CSV export without paging, and returns the file', async () => {
    const urls: string[] = [];
    server.use(
      http.get(`${BASE}/webhooks/events`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
      http.get(`${BASE}/webhooks/events.csv`, ({ request }) => {
        urls.push(request.url);
        return new HttpResponse('id,provider\n1,mailgun\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
      http.get(`${BASE}/webhooks/endpoints`, () =>
        HttpResponse.json({ items: [{ provider: 'postmark' }] }),
      ),
      http.get(`${BASE}/webhooks/firewall-rules`, ({ request }) =>
        HttpResponse.json({
          format: new URL(request.url).searchParams.get('format'),
          rules: 'ufw allow from 50.31.156.6',
        }),
      ),
    );
    const { client } = makeClient();
    const query = {
      provider: 'mailgun' as const,
      type: 'bounced' as const,
      q: 'ada@example.com',
      from: '2026-12-01T00:00:00.000Z',
      cursor: 'c1',
      limit: 50,
    };
    expect(await client.listWebhookEvents(query)).toEqual({
      items: [],
      nextCursor: null,
    });
    const csv = await client.exportWebhookEventsCsv(query);
    expect(await csv.text()).toBe('id,provider\n1,mailgun\n');
    expect(Object.fromEntries(new URL(urls[0]).searchParams)).toEqual({
      provider: 'mailgun',
      type: 'bounced',
      q: 'ada@example.com',
      from: '2026-12-01T00:00:00.000Z',
      cursor: 'c1',
      limit: '50',
    });
    expect(Object.fromEntries(new URL(urls[1]).searchParams)).toEqual({
      provider: 'mailgun',
      type: 'bounced',
      q: 'ada@example.com',
      from: '2026-12-01T00:00:00.000Z',
    });
    expect(await client.listWebhookEndpoints()).toEqual([
      { provider: 'postmark' },
    ]);
    expect(await client.getFirewallRules('ufw')).toEqual({
      format: 'ufw',
      rules: 'ufw allow from 50.31.156.6',
    });
  });

  it('searches the suppression list by q (and search, the older name) and exports it', async () => {
    const urls: string[] = [];
    server.use(
      http.get(`${BASE}/suppressions`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json({ items: [], total: 0 });
      }),
      http.get(`${BASE}/suppressions.csv`, ({ request }) => {
        urls.push(request.url);
        return new HttpResponse('address\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
    );
    const { client } = makeClient();
    expect(await client.listSuppressions({ q: ' ada ', limit: 50 })).toEqual({
      items: [],
      total: 0,
    });
    expect(await (await client.exportSuppressionsCsv({ q: '' })).text()).toBe(
      'address\n',
    );
    expect(Object.fromEntries(new URL(urls[0]).searchParams)).toEqual({
      q: 'ada',
      search: 'ada',
      limit: '50',
    });
    expect(urls[1]).toBe(`${BASE}/suppressions.csv`);
  });

  it('asks for analytics by preset or custom range, downloads the bounce list, and surfaces a refused range', async () => {
    const urls: string[] = [];
    server.use(
      http.get(`${BASE}/analytics`, ({ request }) => {
        urls.push(request.url);
        if (new URL(request.url).searchParams.get('from') === '2026-12-09') {
          return HttpResponse.json(
            {
              error: {
                name: 'InputError',
                message: 'to: The range ends before it starts',
              },
              response: { statusCode: 400 },
            },
            { status: 400 },
          );
        }
        return HttpResponse.json({
          range: { from: '2026-11-03', to: '2026-12-02', days: 30 },
        });
      }),
      http.get(`${BASE}/analytics/bounces.csv`, ({ request }) => {
        urls.push(request.url);
        return new HttpResponse('address,provider\nada@example.com,mailgun\n', {
          headers: { 'Content-Type': 'text/csv' },
        });
      }),
    );
    const { client } = makeClient();
    expect((await client.getAnalytics({ range: '30d' })).range.days).toBe(30);
    await client.getAnalytics({ from: '2026-11-01', to: '2026-11-30' });
    const csv = await client.downloadBounceList({ range: '7d' });
    expect(await csv.text()).toBe(
      'address,provider\nada@example.com,mailgun\n',
    );
    const error = await client
      .getAnalytics({ from: '2026-12-09', to: '2026-12-01' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(errorMessage(error)).toContain('The range ends before it starts');
    expect(urls.slice(0, 3)).toEqual([
      `${BASE}/analytics?range=30d`,
      `${BASE}/analytics?from=2026-11-01&to=2026-11-30`,
      `${BASE}/analytics/bounces.csv?range=7d`,
    ]);
  });

  it('unwraps the list answers', async () => {
    answerAll(() =>
      HttpResponse.json({
        providers: [{ providerId: 'postmark' }],
        streams: [{ id: 'outbound', name: 'Default', type: 'Transactional' }],
        versions: [{ version: 1 }],
      }),
    );
    const { client } = makeClient();
    expect(await client.listProviders()).toEqual([{ providerId: 'postmark' }]);
    expect(await client.listMessageStreams('postmark')).toEqual([
      { id: 'outbound', name: 'Default', type: 'Transactional' },
    ]);
    expect(await client.listRoutingVersions()).toEqual([{ version: 1 }]);
  });

  it('sends the message list filters as a query string, lists comma separated, empty ones left out', async () => {
    const urls: string[] = [];
    server.use(
      http.get(`${BASE}/messages`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json({ items: [], nextCursor: 'abc' });
      }),
    );
    const { client } = makeClient();
    expect(
      await client.listMessages({
        status: ['sent', 'unknown'],
        provider: 'postmark',
        q: 'ada@example.com',
        recipient: '',
        cursor: 'c_1',
        limit: 25,
      }),
    ).toEqual({ items: [], nextCursor: 'abc' });
    await client.listMessages({ status: [] });
    const first = new URL(urls[0]).searchParams;
    expect(Object.fromEntries(first)).toEqual({
      status: 'sent,unknown',
      provider: 'postmark',
      q: 'ada@example.com',
      cursor: 'c_1',
      limit: '25',
    });
    expect(urls[1]).toBe(`${BASE}/messages`);
  });

  it('returns the results CSV as text', async () => {
    answerAll(
      () =>
        new HttpResponse('line,address\n2,a@example.com\n', {
          headers: { 'Content-Type': 'text/csv' },
        }),
    );
    const { client } = makeClient();
    expect(await client.getAddressValidationCsv('mailgun', 'job-1')).toBe(
      'line,address\n2,a@example.com\n',
    );
    expect(seen[0].path).toBe(
      '/providers/mailgun/address-validations/job-1/results.csv',
    );
  });

  it('accepts the empty 204 of a removal and escapes path segments', async () => {
    answerAll(() => new HttpResponse(null, { status: 204 }));
    const { client } = makeClient();
    await expect(
      client.removeDomain('postmark', 'a/b'),
    ).resolves.toBeUndefined();
    expect(seen[0].path).toBe('/providers/postmark/domains/a%2Fb');
  });

  it("throws a ResponseError that carries the backend's own message", async () => {
    answerAll(() =>
      HttpResponse.json(
        {
          error: { name: 'InputError', message: ESP_MESSAGES.invalidApiKey },
          request: { method: 'POST', url: '/providers/postmark' },
          response: { statusCode: 400 },
        },
        { status: 400 },
      ),
    );
    const { client } = makeClient();
    const error = await client.saveConfig('postmark', {} as any).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(errorMessage(error)).toBe(ESP_MESSAGES.invalidApiKey);
  });

  it('throws on a failed CSV download too', async () => {
    answerAll(() =>
      HttpResponse.json(
        {
          error: { name: 'NotFoundError', message: 'No such job' },
          request: {
            method: 'GET',
            url: '/providers/mailgun/address-validations/gone/results.csv',
          },
          response: { statusCode: 404 },
        },
        { status: 404 },
      ),
    );
    const { client } = makeClient();
    const error = await client
      .getAddressValidationCsv('mailgun', 'gone')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(errorMessage(error)).toBe('No such job');
  });
});
