import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { WEBHOOK_SUBSCRIPTIONS } from '@internal/plugin-esp-common';
import { callEsp, configureProviders } from '../providers';
import { ESP_ROOT, signIn, userToken } from '../signIn';

test('an admin copies a webhook URL, sends a test event and sees it arrive live, filters, searches, exports, opens the viewer, replays, and removes a suppression', async ({
  page,
  context,
  request,
}) => {
  await signIn(page);
  const token = await userToken(page);
  await configureProviders(request, token, ['postmark', 'mailgun']);
  // Saving the subscriptions registers the webhooks with the stand-ins.
  for (const provider of ['postmark', 'mailgun'] as const) {
    const saved = await callEsp(
      request,
      token,
      'PUT',
      `/webhooks/${provider}/subscriptions`,
      {
        subscriptions: WEBHOOK_SUBSCRIPTIONS[provider]
          .filter(s => s.defaultOn)
          .map(s => s.id),
      },
    );
    expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
  }
  const before = await callEsp(
    request,
    token,
    'GET',
    '/webhooks/events?provider=mailgun',
  );
  expect(before.status, JSON.stringify(before.body)).toBe(200);
  const seenIds = new Set(before.body.items.map((e: { id: string }) => e.id));

  await page.goto(`${ESP_ROOT}/webhooks`);

  // Copy: the clipboard holds the Mailgun receiver's URL.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const mailgunCard = page.getByRole('region', {
    name: 'Mailgun webhook endpoint',
  });
  await mailgunCard
    .getByRole('button', { name: 'Copy the Mailgun URL' })
    .click();
  await expect(mailgunCard.getByRole('status')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^https?:\/\/.+\/api\/esp\/webhooks\/mailgun$/);

  // The list is open before the test event: it must appear without a reload.
  const events = page.getByRole('table', { name: 'Recent Events' });
  await expect(
    events.or(page.getByRole('region', { name: 'No events yet' })),
  ).toBeVisible();

  await page.locator('#test-webhook-provider').selectOption('mailgun');
  await page.locator('#test-webhook-type').selectOption('delivered');
  await page.getByRole('button', { name: 'Send Test Event' }).click();
  const result = page.getByRole('region', { name: 'Test result' });
  await expect(result).toContainText(/HTTP 2\d\d\./, { timeout: 30_000 });
  await expect(result.getByLabel('Payload received')).toContainText(
    'event-data',
  );

  let event: { id: string; email: string | null; providerEventId: string };
  await expect(async () => {
    const after = await callEsp(
      request,
      token,
      'GET',
      '/webhooks/events?provider=mailgun',
    );
    event = after.body.items.find((e: { id: string }) => !seenIds.has(e.id));
    expect(event).toBeTruthy();
  }).toPass({ timeout: 30_000 });
  const viewButton = page.getByRole('button', {
    name: `View full log of event ${event!.id}`,
  });
  // Live: a signal (or the 15 s poll) brings the row in; nobody clicks Refresh.
  await expect(viewButton).toBeVisible({ timeout: 20_000 });
  const row = events.getByRole('row').filter({ has: viewButton });
  await expect(row).toContainText('Mailgun');
  await expect(row).toContainText('Delivery');

  // Filters: the provider's own events stay, the other provider's go.
  await page.locator('#webhook-events-provider').selectOption('postmark');
  await expect(viewButton).toBeHidden();
  await page.locator('#webhook-events-provider').selectOption('mailgun');
  await page.locator('#webhook-events-type').selectOption('delivered');
  await expect(viewButton).toBeVisible();

  // Search by the event's address (or its message id when it has none).
  const needle =
    event!.email ??
    (await callEsp(request, token, 'GET', `/webhooks/events/${event!.id}`)).body
      .providerMessageId;
  await page.getByLabel('Email or message ID').fill(needle);
  await expect(viewButton).toBeVisible();
  for (const r of await events.getByRole('row').all()) {
    const text = await r.textContent();
    if (text?.startsWith('Timestamp')) continue;
    expect(text).toContain('Mailgun');
  }

  // Export: the CSV of the filtered set carries the event.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^webhook-events-.*\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  expect(csv).toContain(event!.providerEventId);

  // The viewer: payload, result, and a replay.
  await viewButton.click();
  const viewer = page.getByRole('dialog', { name: 'Webhook event' });
  await expect(viewer.getByLabel('Event fields')).toContainText(
    event!.providerEventId,
  );
  await expect(viewer.getByLabel('Raw payload')).toContainText('event-data');
  await viewer.getByRole('button', { name: 'Replay' }).click();
  await expect(viewer.getByText('Queued for processing again.')).toBeVisible();
  await viewer.getByRole('button', { name: 'Close event viewer' }).click();

  // Remove a suppression through the page.
  const address = `webhooks-e2e-${Date.now()}@example.com`;
  const added = await callEsp(request, token, 'POST', '/suppressions', {
    address,
    reason: 'Browser test',
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  await page.getByLabel('Search addresses').fill(address);
  await page
    .getByRole('search', { name: 'Search the suppression list' })
    .getByRole('button', { name: 'Search' })
    .click();
  const suppressions = page.getByRole('table', { name: 'Suppression list' });
  await expect(suppressions).toContainText(address);
  await suppressions.getByRole('button', { name: `Remove ${address}` }).click();
  const confirm = page.getByRole('dialog', {
    name: `Remove ${address} from the suppression list?`,
  });
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(
    page.getByText(`${address} was removed from the list.`),
  ).toBeVisible();
  const left = await callEsp(
    request,
    token,
    'GET',
    `/suppressions?q=${encodeURIComponent(address)}&search=${encodeURIComponent(
      address,
    )}`,
  );
  expect(
    left.body.items.some((s: { address: string }) => s.address === address),
  ).toBe(false);
});
