import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { ESP_CATALOG_LIST, ESP_ROOT, signIn, userToken } from '../signIn';

// The local Postmark stand-in's token (esp.sandbox in app-config.yaml).
const SERVER_TOKEN = 'sandbox-server-token';
const API = 'http://localhost:7007/api';

/** The esp-hub.io/status annotation of the Postmark entity, as the catalog has it now. */
async function entityStatus(request: APIRequestContext, token: string) {
  const res = await request.get(
    `${API}/catalog/entities/by-name/resource/default/esp-postmark`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (!res.ok()) return `HTTP ${res.status()}`;
  return (await res.json()).metadata.annotations['esp-hub.io/status'];
}

async function openPostmarkEntity(page: Page) {
  await page.goto(ESP_CATALOG_LIST);
  // The catalog reads ESP Hub a few seconds after start: reload until it is listed.
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'Postmark', exact: true }),
    ).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Postmark', exact: true }).click();
  await expect(
    page.getByText('Email service provider', { exact: true }),
  ).toBeVisible();
}

test('an admin disables Postmark and its catalog entity follows at once', async ({
  page,
  request,
}) => {
  await signIn(page);
  const token = await userToken(page);
  const headers = { authorization: `Bearer ${token}` };

  // Self-contained: Postmark configured and enabled, whatever ran before.
  const saved = await request.post(`${API}/esp/providers/postmark`, {
    headers,
    data: {
      serverToken: SERVER_TOKEN,
      defaultSender: 'noreply@catalog-e2e.example.com',
      tracking: { trackOpens: false, trackLinks: false, trackDelivery: false },
      advanced: {
        messageStream: 'outbound',
        batchSize: 100,
        retryAttempts: 2,
        timeoutSeconds: 20,
      },
    },
  });
  expect(saved.ok()).toBeTruthy();
  const enabled = await request.put(`${API}/esp/providers/postmark/enabled`, {
    headers,
    data: { enabled: true },
  });
  expect(enabled.ok()).toBeTruthy();
  await expect
    .poll(() => entityStatus(request, token), { timeout: 60_000 })
    .toBe('active');

  await openPostmarkEntity(page);
  await expect(page.getByLabel('Status: Active')).toBeVisible();
  // An admin gets the way to the settings from the card.
  const settings = page.getByRole('link', {
    name: 'Postmark settings in ESP Hub',
  });
  await expect(settings).toHaveAttribute('href', `${ESP_ROOT}/postmark`);
  const entityUrl = page.url();

  // Disable Postmark on the overview, as an admin does.
  await page.goto(`${ESP_ROOT}/overview`);
  const card = page.getByLabel('Postmark provider');
  await card.getByRole('checkbox', { name: 'Postmark enabled' }).click();
  await expect(card.getByText('Disabled', { exact: true })).toBeVisible();

  // The change event makes the catalog read ESP Hub again: no 10-minute wait.
  await expect
    .poll(() => entityStatus(request, token), { timeout: 30_000 })
    .toBe('configured');
  await page.goto(entityUrl);
  await expect(page.getByLabel('Status: Configured')).toBeVisible();
  await expect(page.getByText('Disabled', { exact: true })).toBeVisible();

  // Leave Postmark enabled for the specs that follow (postmark.spec toggles it).
  await page.goto(`${ESP_ROOT}/overview`);
  await page
    .getByLabel('Postmark provider')
    .getByRole('checkbox', { name: 'Postmark enabled' })
    .click();
  await expect
    .poll(() => entityStatus(request, token), { timeout: 30_000 })
    .toBe('active');
});
