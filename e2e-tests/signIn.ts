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

/**
 * Calls the portal's API as the signed-in user, with the Backstage token the
 * guest session hands out (the way the frontend itself calls it).
 */
export async function callApi(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ([m, p, b]) => {
      const session = await fetch('/api/auth/guest/refresh?env=development', {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
        credentials: 'include',
      }).then(r => r.json());
      const res = await fetch(p as string, {
        method: m as string,
        headers: {
          authorization: `Bearer ${session.backstageIdentity.token}`,
          ...(b === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body] as const,
  );
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
