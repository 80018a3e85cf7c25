import { APIRequestContext, expect, test } from '@playwright/test';
import { API, configureProviders } from '../providers';
import { ESP_ROOT, openProviderEntity, signIn, userToken } from '../signIn';

/** The esp-hub.io/status annotation of the Postmark entity, as the catalog has it now. */
async function entityStatus(request: APIRequestContext, token: string) {
  const res = await request.get(
    `${API}/catalog/entities/by-name/resource/default/esp-postmark`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  if (!res.ok()) return `HTTP ${res.status()}`;
  return (await res.json()).metadata.annotations['esp-hub.io/status'];
}

test('an admin disables Postmark and its catalog entity follows at once', async ({
  page,
  request,
}) => {
  await signIn(page);
  const token = await userToken(page);

  // Self-contained: Postmark configured and enabled, whatever ran before.
  await configureProviders(request, token, ['postmark']);
  // Active once it sent in the last 24 hours (another spec may have sent), else Configured.
  await expect
    .poll(() => entityStatus(request, token), { timeout: 60_000 })
    .toMatch(/^(active|configured)$/);
  const enabledStatus = await entityStatus(request, token);

  await openProviderEntity(page, 'Postmark');
  await expect(
    page.getByLabel(
      `Status: ${enabledStatus === 'active' ? 'Active' : 'Configured'}`,
    ),
  ).toBeVisible();
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
    .toBe(enabledStatus);
});
