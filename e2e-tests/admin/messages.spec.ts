import { expect, test } from '@playwright/test';
import {
  POSTMARK_DEFAULTS,
  PROVIDER_DISPLAY_NAMES,
  ProviderId,
} from '@internal/plugin-esp-common';
import { callEsp, configureProviders, SANDBOX_CREDENTIALS } from '../providers';
import { ESP_ROOT, signIn, userToken } from '../signIn';

// The Postmark stand-in (esp.sandbox in app-config.yaml).
const POSTMARK_SANDBOX = 'http://127.0.0.1:7101';

// Runs between mailgun.spec and navigation.spec: it saves no routing (the
// navigation spec expects the defaults), and only configures Postmark, which
// the other specs configure too.
test('an admin sends through the API, finds the message on the Messages tab, sent, with its attempt and routing trace, and the overview counts it', async ({
  page,
  request,
}) => {
  await signIn(page);
  const token = await userToken(page);
  await configureProviders(request, token, ['postmark']);
  // Managing domains needs the account token as well.
  const withAccount = await callEsp(
    request,
    token,
    'POST',
    '/providers/postmark',
    {
      serverToken: SANDBOX_CREDENTIALS.postmarkServerToken,
      accountToken: SANDBOX_CREDENTIALS.postmarkAccountToken,
      defaultSender: 'noreply@e2e.example.com',
      ...POSTMARK_DEFAULTS,
    },
  );
  expect(withAccount.status, JSON.stringify(withAccount.body)).toBe(200);
  // Postmark (the stand-in too) sends only from a verified domain: verify one
  // of this run's own.
  const domain = `messages-e2e-${Date.now()}.example.com`;
  const added = await callEsp(
    request,
    token,
    'POST',
    '/providers/postmark/domains',
    {
      name: domain,
    },
  );
  expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
  const published = await request.post(
    `${POSTMARK_SANDBOX}/__sandbox/domains/${domain}/verify-dns`,
  );
  expect(published.ok()).toBeTruthy();
  const verified = await callEsp(
    request,
    token,
    'POST',
    `/providers/postmark/domains/${added.body.id}/verify`,
  );
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  const routingBefore = (await callEsp(request, token, 'GET', '/routing')).body;

  const sentTodayBefore = await sentToday(request, token);

  const recipient = `messages-e2e-${Date.now()}@example.com`;
  const accepted = await callEsp(request, token, 'POST', '/messages', {
    from: `noreply@${domain}`,
    to: [recipient],
    subject: 'Messages tab check',
    text: 'Sent by the browser test',
    emailType: 'transactional',
  });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  const id: string = accepted.body.messages[0].id;

  await page.goto(`${ESP_ROOT}/messages`);
  await page.getByLabel('Recipient or message ID').fill(recipient);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page
    .getByRole('table', { name: 'Messages' })
    .getByRole('row')
    .filter({ hasText: recipient });
  await expect(row).toHaveCount(1);
  // The dispatcher sends it within seconds: refresh until the list says so.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row).toContainText(HANDED_OVER_LABELS, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  const view = (await callEsp(request, token, 'GET', `/messages/${id}`)).body;
  expect(HANDED_OVER_STATUSES).toContain(view.status);
  // The provider that sent it is the one the routing trace names.
  expect(view.trace.provider).toBe(view.provider);
  const providerName = PROVIDER_DISPLAY_NAMES[view.provider as ProviderId];
  await expect(row).toContainText(providerName);

  await row.getByRole('button', { name: `View message ${id}` }).click();
  const drawer = page.getByRole('dialog', { name: 'Message details' });
  await expect(drawer.getByLabel('Message fields')).toContainText(recipient);
  await expect(drawer.getByLabel('Message fields')).toContainText(
    view.providerMessageId,
  );
  const attempts = drawer
    .getByRole('table', { name: 'Attempts' })
    .getByRole('row');
  await expect(attempts).toHaveCount(1 + view.attempts.length);
  await expect(attempts.last()).toContainText(providerName);
  await expect(attempts.last()).toContainText('Sent');
  const routing = drawer.getByRole('region', { name: 'Routing' });
  await expect(routing).toContainText(`Routed to ${providerName}`);
  await expect(
    routing.getByRole('list', { name: 'Routing trace' }).getByRole('listitem'),
  ).toHaveText(
    view.trace.trace.map((step: { message: string }) => step.message),
  );

  await drawer.getByRole('button', { name: 'Close message details' }).click();
  await expect(drawer).toBeHidden();

  // The overview's card of the provider that sent it counts it, once the
  // analytics rollup (every 5 seconds in these tests) has read the send.
  await expect
    .poll(async () => (await sentToday(request, token))[view.provider], {
      timeout: 30_000,
    })
    .toBe((sentTodayBefore[view.provider] ?? 0) + 1);
  const sentTodayAfter = await sentToday(request, token);
  await page.goto(ESP_ROOT);
  await expect(
    page
      .getByLabel(`${providerName} provider`)
      .getByLabel(`Emails sent today: ${sentTodayAfter[view.provider]}`),
  ).toBeVisible();

  // Nothing here changed the routing the later specs start from.
  const routingAfter = (await callEsp(request, token, 'GET', '/routing')).body;
  expect(routingAfter.version).toBe(routingBefore.version);
});

/**
 * Sent, or further along: the stand-in posts its delivery events back within
 * seconds, so the message may already be delivered (or bounced, opened…).
 */
const HANDED_OVER_STATUSES = [
  'sent',
  'soft_bounced',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'complained',
];
const HANDED_OVER_LABELS =
  /Sent|Soft bounce|Delivered|Bounced|Opened|Clicked|Complained/;

/** Each provider's "sent today" as the overview's API answers it. */
async function sentToday(
  request: Parameters<typeof callEsp>[0],
  token: string,
): Promise<Record<string, number>> {
  const { body } = await callEsp(request, token, 'GET', '/providers');
  return Object.fromEntries(
    body.providers.map(
      (p: { providerId: string; usage: { sentToday: number } }) => [
        p.providerId,
        p.usage.sentToday,
      ],
    ),
  );
}
