import { expect, Page } from '@playwright/test';

/** Signs in through the portal's guest sign-in page; the backend config decides who that is. */
export async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(page.getByRole('navigation', { name: 'sidebar nav' })).toBeVisible();
}

export const ESP_ROOT = '/dashboard/settings/integrations/esp';
