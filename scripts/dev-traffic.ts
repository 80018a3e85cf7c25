/*
 * Development traffic: sends messages of every email type through ESP Hub's
 * real send API to the local Postmark and Mailgun stand-ins, which post their
 * delivery, bounce, open and click events back to ESP Hub's real receivers.
 * The analytics page then shows rollups of that traffic. Nothing is written
 * to the database behind the API's back. Run it through scripts/dev-traffic.sh.
 */
import {
  EMAIL_TYPES,
  MAILGUN_DEFAULTS,
  POSTMARK_DEFAULTS,
  WEBHOOK_SUBSCRIPTIONS,
} from '@internal/plugin-esp-common';
import type {
  DomainDetailView,
  DomainListView,
  DomainView,
  MessageView,
  ProviderSummary,
  SendMessageInput,
  SendMessagesResult,
  WebhookEndpointView,
} from '@internal/plugin-esp-common';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

const USAGE = `Usage: scripts/dev-traffic.sh [--per-type N] [--base-url URL] [--run-id ID]
                              [--providers postmark,mailgun] [--timeout SECONDS]
                              [--postmark-sandbox URL] [--mailgun-sandbox URL]

Sends N messages (default 20) of each email type through POST /api/esp/messages
of a running portal (default http://localhost:7007), signed in as the development
guest. --providers names the stand-ins it prepares (configured when not yet,
a verified sending domain, webhooks); routing still decides where each message
goes. A rerun with the same --run-id sends nothing twice (one Idempotency-Key per
message), so after a crash rerun with the id the first run printed.`;

/** The stand-ins' credentials and verified domain (esp.sandbox in app-config.yaml). */
const SANDBOX = {
  postmarkServerToken: 'sandbox-server-token',
  postmarkAccountToken: 'sandbox-account-token',
  mailgunApiKey: 'sandbox-mailgun-key',
  mailgunDomain: 'mg.sandbox.example',
};

/** The Postmark stand-in sends only from a verified domain: the command keeps one of its own. */
const SENDING_DOMAIN = 'dev-traffic.example.com';

/** Recipients spread over a few domains, so that the per-domain figures have something to show. */
const RECIPIENT_DOMAINS = [
  'example.com',
  'example.org',
  'mail.example.net',
  'inbox.example.io',
  'corp.example.co',
];

/** The email types the routing page knows, without Custom (it needs a name of its own). */
const TRAFFIC_TYPES = EMAIL_TYPES.filter(t => t !== 'custom');

const IN_FLIGHT = 4;
const POLL_MS = 2_000;
const PENDING = new Set(['queued', 'sending']);
const NOT_SENT = new Set(['failed', 'suppressed', 'unknown', ...PENDING]);

type Options = {
  baseUrl: string;
  perType: number;
  runId: string;
  timeoutSeconds: number;
  postmarkSandbox: string;
  mailgunSandbox: string;
  providers: Array<'postmark' | 'mailgun'>;
};

/** A failure the developer can act on: printed as is, without a stack. */
class TrafficError extends Error {}

function readOptions(argv: string[]): Options {
  try {
    return checkedOptions(argv);
  } catch (error) {
    if (error instanceof TrafficError) throw error;
    // parseArgs' own refusals (an unknown option, a missing value).
    throw new TrafficError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

function checkedOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      'per-type': { type: 'string', default: '20' },
      'base-url': { type: 'string', default: 'http://localhost:7007' },
      'run-id': { type: 'string' },
      timeout: { type: 'string', default: '180' },
      'postmark-sandbox': { type: 'string', default: 'http://127.0.0.1:7101' },
      'mailgun-sandbox': { type: 'string', default: 'http://127.0.0.1:7102' },
      providers: { type: 'string', default: 'postmark,mailgun' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const perType = Number(values['per-type']);
  if (!Number.isInteger(perType) || perType < 1 || perType > 10_000) {
    throw new TrafficError(
      '--per-type must be a whole number from 1 to 10000.',
    );
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) {
    throw new TrafficError('--timeout must be a number of seconds above 0.');
  }
  const runId = values['run-id'] ?? newRunId();
  if (!/^[A-Za-z0-9-]{1,64}$/.test(runId)) {
    throw new TrafficError(
      '--run-id must be 1–64 letters, digits or dashes (it goes into addresses and keys).',
    );
  }
  const providers = values.providers!.split(',').map(p => p.trim());
  const known = ['postmark', 'mailgun'] as const;
  const unknown = providers.filter(
    p => !(known as readonly string[]).includes(p),
  );
  if (unknown.length || providers.length === 0) {
    throw new TrafficError(
      `--providers takes postmark and/or mailgun, comma separated (not ${
        unknown.join(', ') || 'nothing'
      }).`,
    );
  }
  return {
    providers: known.filter(p => providers.includes(p)),
    baseUrl: values['base-url']!.replace(/\/+$/, ''),
    perType,
    runId,
    timeoutSeconds,
    postmarkSandbox: values['postmark-sandbox']!.replace(/\/+$/, ''),
    mailgunSandbox: values['mailgun-sandbox']!.replace(/\/+$/, ''),
  };
}

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`.toLowerCase();
}

type Answer<T> = { status: number; body: T };

/** ESP Hub's API as the signed-in guest. */
class EspApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T = any>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await fetch(`${this.baseUrl}/api/esp${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  /** Like call, but a non-2xx answer is a TrafficError saying what was tried. */
  async ok<T = any>(
    what: string,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const answer = await this.call<T>(method, path, body, headers);
    if (answer.status >= 300) {
      throw new TrafficError(
        `${what} failed: ${method} /api/esp${path} answered ${
          answer.status
        } ${errorText(answer.body)}`,
      );
    }
    return answer.body;
  }
}

function errorText(body: any): string {
  if (body && typeof body === 'object') {
    return body.error?.message ?? JSON.stringify(body);
  }
  return String(body ?? '');
}

/** Fetch, with "nothing listens there" turned into a sentence. */
async function reach(url: string, what: string, init?: RequestInit) {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new TrafficError(
      `${what} does not answer at ${url} (${
        (error as any).cause?.code ?? (error as Error).message
      }). Start the portal with ./scripts/start.sh, or pass --base-url.`,
    );
  }
}

/** Signs in as the development guest, the way the portal's Enter button does. */
async function signIn(baseUrl: string): Promise<string> {
  const ready = await reach(
    `${baseUrl}/.backstage/health/v1/readiness`,
    'The portal',
  );
  if (!ready.ok) {
    throw new TrafficError(
      `The portal at ${baseUrl} is not ready yet (readiness answered ${ready.status}); wait until ./scripts/start.sh says "ESP Hub is ready".`,
    );
  }
  const res = await reach(
    `${baseUrl}/api/auth/guest/refresh?env=development`,
    'The portal',
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  const body: any = await res.json().catch(() => null);
  const token = body?.backstageIdentity?.token;
  if (!res.ok || typeof token !== 'string') {
    throw new TrafficError(
      `Guest sign-in at ${baseUrl} failed (HTTP ${res.status}): the command needs the development guest sign-in of app-config.yaml.`,
    );
  }
  return token;
}

async function sandboxAnswers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/__sandbox/messages`)).ok;
  } catch {
    return false;
  }
}

/**
 * Postmark against the stand-in, only when it is not configured yet (an
 * admin's settings are left as they are), and a verified sending domain.
 * Answers the address to send from, or undefined for the default sender.
 */
async function preparePostmark(
  api: EspApi,
  summary: ProviderSummary,
  options: Options,
): Promise<string | undefined> {
  if (!summary.configured) {
    await api.ok('Configuring Postmark', 'POST', '/providers/postmark', {
      serverToken: SANDBOX.postmarkServerToken,
      accountToken: SANDBOX.postmarkAccountToken,
      defaultSender: `noreply@${SENDING_DOMAIN}`,
      ...POSTMARK_DEFAULTS,
    });
    await api.ok('Enabling Postmark', 'PUT', '/providers/postmark/enabled', {
      enabled: true,
    });
    console.log('Configured Postmark with the stand-in’s credentials.');
  } else if (!summary.enabled) {
    console.log('Postmark is configured but disabled: left as it is.');
    return undefined;
  }
  const list = await api.ok<DomainListView>(
    'Listing Postmark’s domains',
    'GET',
    '/providers/postmark/domains',
  );
  if (!list.available) {
    console.log(
      `Postmark's domains cannot be managed with its stored credentials (${list.reason}): sending from its default sender.`,
    );
    return undefined;
  }
  let domain: DomainView | undefined = list.domains.find(
    d => d.name === SENDING_DOMAIN,
  );
  if (!domain) {
    domain = await api.ok<DomainDetailView>(
      'Adding the sending domain',
      'POST',
      '/providers/postmark/domains',
      { name: SENDING_DOMAIN },
    );
  }
  if (domain.status !== 'verified') {
    // Only a stand-in can be told that the DNS is published.
    if (await sandboxAnswers(options.postmarkSandbox)) {
      await reach(
        `${options.postmarkSandbox}/__sandbox/domains/${SENDING_DOMAIN}/verify-dns`,
        'The Postmark stand-in',
        { method: 'POST' },
      );
    }
    domain = await api.ok<DomainView>(
      'Verifying the sending domain',
      'POST',
      `/providers/postmark/domains/${domain.id}/verify`,
    );
  }
  if (domain.status !== 'verified') {
    console.log(
      `${SENDING_DOMAIN} is not verified at Postmark (${domain.status}): Postmark will refuse these messages.`,
    );
  }
  return `Dev traffic <noreply@${SENDING_DOMAIN}>`;
}

async function prepareMailgun(api: EspApi, summary: ProviderSummary) {
  if (summary.configured) {
    if (!summary.enabled) {
      console.log('Mailgun is configured but disabled: left as it is.');
    }
    return;
  }
  await api.ok('Configuring Mailgun', 'POST', '/providers/mailgun', {
    apiKey: SANDBOX.mailgunApiKey,
    domain: SANDBOX.mailgunDomain,
    ...MAILGUN_DEFAULTS,
  });
  await api.ok('Enabling Mailgun', 'PUT', '/providers/mailgun/enabled', {
    enabled: true,
  });
  console.log('Configured Mailgun with the stand-in’s credentials.');
}

/**
 * The stand-ins keep their webhooks and Mailgun's signing key in memory: after
 * a portal restart ESP Hub still thinks them registered while the stand-ins
 * post nowhere. So while the stand-ins answer, the webhooks are registered
 * again with the subscriptions already saved (the defaults when none are) and
 * Mailgun's signing key is read again; nothing an admin chose changes.
 */
async function prepareWebhooks(api: EspApi, options: Options) {
  const { items } = await api.ok<{ items: WebhookEndpointView[] }>(
    'Reading the webhook endpoints',
    'GET',
    '/webhooks/endpoints',
  );
  for (const endpoint of items) {
    if (!options.providers.includes(endpoint.provider)) continue;
    const standIn =
      endpoint.provider === 'postmark'
        ? options.postmarkSandbox
        : options.mailgunSandbox;
    const standInRuns = await sandboxAnswers(standIn);
    if (endpoint.registeredAt && !endpoint.registrationError && !standInRuns) {
      continue;
    }
    if (endpoint.provider === 'mailgun' && standInRuns) {
      const fetched = await api.call(
        'POST',
        '/providers/mailgun/webhook-signing-key/fetch',
      );
      if (fetched.status >= 300 && fetched.status !== 409) {
        console.log(
          `Could not read Mailgun's signing key: ${errorText(fetched.body)}`,
        );
      }
    }
    const subscriptions = endpoint.subscriptions.length
      ? endpoint.subscriptions
      : WEBHOOK_SUBSCRIPTIONS[endpoint.provider]
          .filter(s => s.defaultOn)
          .map(s => s.id);
    const saved = await api.call<WebhookEndpointView>(
      'PUT',
      `/webhooks/${endpoint.provider}/subscriptions`,
      { subscriptions },
    );
    if (saved.status >= 300 || saved.body.registrationError) {
      console.log(
        `The ${endpoint.provider} webhooks are not registered: ${
          saved.body.registrationError ?? errorText(saved.body)
        } (its events will not reach ESP Hub).`,
      );
    }
  }
}

type Planned = { key: string; message: SendMessageInput };

function plannedMessages(options: Options, from: string | undefined) {
  const planned: Planned[] = [];
  let n = 0;
  for (const emailType of TRAFFIC_TYPES) {
    for (let i = 1; i <= options.perType; i++) {
      const domain = RECIPIENT_DOMAINS[n++ % RECIPIENT_DOMAINS.length];
      const local = `${emailType.replace('_', '-')}-${i}-${options.runId}`;
      planned.push({
        key: `dev-traffic-${options.runId}-${emailType}-${i}`,
        message: {
          ...(from ? { from } : {}),
          to: [`${local}@${domain}`],
          subject: `Development traffic: ${emailType} ${i}`,
          text: `Sent by scripts/dev-traffic.sh (run ${options.runId}).`,
          html: `<p>Sent by scripts/dev-traffic.sh (run ${options.runId}). <a href="https://example.com/dev-traffic">A link to click</a>.</p>`,
          emailType,
          tags: ['dev-traffic'],
          metadata: { devTrafficRun: options.runId },
        },
      });
    }
  }
  return planned;
}

async function inPool<T, R>(
  items: T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    }),
  );
  return results;
}

async function send(api: EspApi, planned: Planned[]): Promise<string[]> {
  return inPool(planned, IN_FLIGHT, async ({ key, message }) => {
    const result = await api.ok<SendMessagesResult>(
      'Sending',
      'POST',
      '/messages',
      message,
      { 'idempotency-key': key },
    );
    return result.messages[0].id;
  });
}

async function waitUntilHandedOver(
  api: EspApi,
  ids: string[],
  timeoutSeconds: number,
): Promise<MessageView[]> {
  const views = new Map<string, MessageView>();
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const pending = ids.filter(id => {
      const view = views.get(id);
      return !view || PENDING.has(view.status);
    });
    await inPool(pending, 8, async id => {
      views.set(
        id,
        await api.ok<MessageView>(
          'Reading a message',
          'GET',
          `/messages/${id}`,
        ),
      );
    });
    const left = ids.filter(id => PENDING.has(views.get(id)!.status)).length;
    if (left === 0) break;
    if (Date.now() > deadline) {
      console.log(
        `${left} message(s) still queued or sending after ${timeoutSeconds} s; the summary counts them as they are.`,
      );
      break;
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  return ids.map(id => views.get(id)!);
}

function countBy(views: MessageView[], key: (v: MessageView) => string) {
  const counts = new Map<string, number>();
  for (const view of views) {
    counts.set(key(view), (counts.get(key(view)) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function printSummary(views: MessageView[], options: Options) {
  const sent = views.filter(v => !NOT_SENT.has(v.status));
  console.log(
    `\nSent ${sent.length} of ${views.length} messages (run ${options.runId}).`,
  );
  console.log('Per provider (sent):');
  for (const [provider, n] of countBy(sent, v => v.provider ?? 'none')) {
    console.log(`  ${provider.padEnd(10)} ${n}`);
  }
  console.log('Per status:');
  for (const [status, n] of countBy(views, v => v.status)) {
    console.log(`  ${status.padEnd(12)} ${n}`);
  }
  console.log(
    '\nThe stand-ins post their delivery, bounce, open and click events over the next seconds.',
  );
  console.log(
    'Analytics shows them after the next rollup (esp.analytics.rollup.frequency, default 1 minute).',
  );
}

async function main() {
  const options = readOptions(process.argv.slice(2));
  const api = new EspApi(options.baseUrl, await signIn(options.baseUrl));
  console.log(
    `Run ${options.runId}: ${
      options.perType
    } message(s) of each of ${TRAFFIC_TYPES.join(', ')} through ${
      options.baseUrl
    }.`,
  );
  console.log(
    `After a crash, rerun with --run-id ${options.runId}: what was sent is not sent again.`,
  );

  const { providers } = await api.ok<{ providers: ProviderSummary[] }>(
    'Reading the providers',
    'GET',
    '/providers',
  );
  const summaryOf = (id: string) => {
    const found = providers.find(p => p.providerId === id);
    if (!found) throw new TrafficError(`ESP Hub lists no provider ${id}.`);
    return found;
  };
  const from = options.providers.includes('postmark')
    ? await preparePostmark(api, summaryOf('postmark'), options)
    : undefined;
  if (options.providers.includes('mailgun')) {
    await prepareMailgun(api, summaryOf('mailgun'));
  }
  await prepareWebhooks(api, options);

  const ids = await send(api, plannedMessages(options, from));
  console.log(`Accepted ${ids.length} messages; waiting until they are sent…`);
  printSummary(
    await waitUntilHandedOver(api, ids, options.timeoutSeconds),
    options,
  );
}

main().catch(error => {
  if (error instanceof TrafficError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
