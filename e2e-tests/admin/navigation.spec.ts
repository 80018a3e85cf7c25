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

test('the Overview tab brings an admin back from any other ESP tab', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${ESP_ROOT}/mailgun`);
  await expect(page.getByRole('tab', { name: 'Mailgun' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page).toHaveURL(new RegExp(`${ESP_ROOT}/overview$`));
  await expect(page.getByRole('button', { name: '+ Add ESP' })).toBeVisible();

  await page.getByRole('tab', { name: 'Built-in SMTP' }).click();
  await expect(page).toHaveURL(new RegExp(`${ESP_ROOT}/smtp$`));
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByRole('button', { name: '+ Add ESP' })).toBeVisible();
});

test('the overview says what is not there yet instead of inventing it', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(ESP_ROOT);
  await page.getByText('Current Routing Configuration').click();
  await expect(page.getByText('No routing rules yet')).toBeVisible();
  // Nothing saved: only the fallback every email takes, no made-up rule.
  await expect(page.getByText('Default → Built-in SMTP')).toBeVisible();
  await expect(page.getByText(/ Emails → /)).toHaveCount(0);
  const rate = page.getByLabel('Delivery rate: not measured yet').first();
  await expect(rate).toHaveText('—');
  await rate.hover();
  await expect(page.getByRole('tooltip')).toContainText('Not measured yet');
});

test('the Postmark page names the message stream, never its raw id', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${ESP_ROOT}/postmark`);
  await page.getByText('Advanced Settings').click();
  await expect(page.getByLabel('Message Stream')).toContainText(
    'Default Transactional Stream',
  );
  await expect(page.getByLabel('Message Stream')).not.toHaveText('outbound');
});
