import { expect, test } from '@playwright/test';
import { ESP_ROOT, signIn } from '../signIn';

// The backend's sandbox module runs an open SMTP sink on this port (app-config.yaml).
const SMTP_SINK_PORT = '7125';

test('an admin configures the built-in SMTP relay, tests it, sends a test email and disables it', async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`${ESP_ROOT}/smtp`);

  // app-config.yaml suggests the development sink; the page starts from it.
  await expect(page.getByLabel(/^Host/)).toHaveValue('127.0.0.1');
  await expect(page.getByRole('note')).toContainText(
    "Prefilled with the relay this portal's configuration suggests.",
  );
  await page.getByLabel(/^Host/).fill('127.0.0.1');
  await page.getByLabel(/^Port/).fill(SMTP_SINK_PORT);
  await page.locator('#smtp-tls').click();
  await page.getByRole('option', { name: /^None/ }).click();
  await page.getByLabel(/^Default Sender/).fill('portal@example.com');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('SMTP relay configuration saved.')).toBeVisible();

  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(
    page.getByText(`Connected to Built-in SMTP (127.0.0.1:${SMTP_SINK_PORT}).`),
  ).toBeVisible();

  await page.getByLabel(/^Recipient Email/).fill('ops@example.com');
  await page.getByRole('button', { name: 'Send Test' }).click();
  await expect(page.getByTestId('test-email-result')).toContainText(
    'Message ID',
  );

  await page.goto(ESP_ROOT);
  const card = page.getByLabel('Built-in SMTP provider');
  await expect(card.getByText('Active', { exact: true })).toBeVisible();
  await card.getByRole('checkbox', { name: 'Built-in SMTP enabled' }).click();
  await expect(card.getByText('Configured', { exact: true })).toBeVisible();
  await expect(card.getByText('Disabled', { exact: true })).toBeVisible();
});
