import { expect, test } from '@playwright/test';
import { API } from '../providers';
import { openProviderEntity, signIn, userToken } from '../signIn';
const BADGES: Record<string, string> = {
  active: 'Active',
  configured: 'Configured',
  error: 'Error',
  not_configured: 'Not configured',
};

test('a non-admin finds Postmark in the catalog and sees its status, but no settings', async ({
  page,
  request,
}) => {
  await signIn(page);
  const headers = { authorization: `Bearer ${await userToken(page)}` };

  // The list filtered by kind Resource and type email-service-provider.
  await openProviderEntity(page, 'Postmark');

  // The card reads the status summary, which every signed-in user may read…
  const status = await request.get(`${API}/esp/status/postmark`, { headers });
  expect(status.status()).toBe(200);
  const summary = await status.json();
  await expect(
    page.getByLabel(`Status: ${BADGES[summary.status]}`),
  ).toBeVisible();
  // The admin run left Postmark configured and enabled (admin/catalog.spec,
  // admin/postmark.spec), and the backend kept it over the restart.
  expect(summary).toMatchObject({
    configured: true,
    enabled: true,
    status: 'active',
  });
  const entity = await request.get(
    `${API}/catalog/entities/by-name/resource/default/esp-postmark`,
    { headers },
  );
  expect((await entity.json()).metadata.annotations['esp-hub.io/status']).toBe(
    'active',
  );

  // …and no way to the settings, which stay admin-only on the backend too.
  await expect(
    page.getByText('Verified domains', { exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: /settings in ESP Hub/ }),
  ).toHaveCount(0);
  const settings = await request.get(`${API}/esp/providers/postmark`, {
    headers,
  });
  expect(settings.status()).toBe(403);
});
