import { expect, test } from '@playwright/test';
import { ESP_ROOT, sidebarLink, signIn } from '../signIn';

test('an ESP admin reaches ESP Hub from the sidebar', async ({ page }) => {
  await signIn(page);
  await sidebarLink(page, 'ESP Hub').click();
  await expect(page).toHaveURL(new RegExp(`${ESP_ROOT}`));
  await expect(
    page.getByText('ESP settings are limited to administrators'),
  ).toHaveCount(0);
});
