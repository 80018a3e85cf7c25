import { expect, test } from '@playwright/test';
import { ESP_ROOT, signIn } from '../signIn';

test('a non-admin is refused by the page and by the API', async ({ page }) => {
  await signIn(page);
  await page.goto(`${ESP_ROOT}/postmark`);
  await expect(
    page.getByText('ESP settings are limited to administrators'),
  ).toBeVisible();

  // The page is only a courtesy: the backend refuses the same user on its own.
  const status = await page.evaluate(async () => {
    const session = await fetch(
      'http://localhost:7007/api/auth/guest/refresh?env=development',
      {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
        credentials: 'include',
      },
    ).then(r => r.json());
    const res = await fetch('http://localhost:7007/api/esp/providers', {
      headers: { authorization: `Bearer ${session.backstageIdentity.token}` },
    });
    return res.status;
  });
  expect(status).toBe(403);
});
