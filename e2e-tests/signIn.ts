import { expect, Page } from '@playwright/test';

/** Signs in through the portal's guest sign-in page; the backend config decides who that is. */
export async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(sidebarLink(page, 'Catalog')).toBeVisible();
}

export const ESP_ROOT = '/dashboard/settings/integrations/esp';

/** A link of the portal's sidebar (the sidebar's nav element itself reports as hidden). */
export function sidebarLink(page: Page, name: string) {
  // The catalog page's header links its own title too; the sidebar's link comes first.
  return page.getByRole('link', { name, exact: true }).first();
}

/** The signed-in user's Backstage token, for calling the backend as that user. */
export async function userToken(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const session = await fetch(
      'http://localhost:7007/api/auth/guest/refresh?env=development',
      {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
        credentials: 'include',
      },
    ).then(r => r.json());
    return session.backstageIdentity.token as string;
  });
}

/** The catalog's list of email service providers, filtered by kind and type as a user would. */
export const ESP_CATALOG_LIST =
  '/?filters[kind]=resource&filters[type]=email-service-provider&filters[user]=all';

/** Opens a provider's entity page from that list, once the catalog has read ESP Hub. */
export async function openProviderEntity(page: Page, name: string) {
  await page.goto(ESP_CATALOG_LIST);
  // The catalog reads ESP Hub a few seconds after start: reload until it is listed.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 60_000 });
  await page.getByRole('link', { name, exact: true }).click();
  await expect(
    page.getByText('Email service provider', { exact: true }),
  ).toBeVisible();
}
