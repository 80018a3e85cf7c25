import { expect, test } from '@playwright/test';
import { ESP_ROOT, signIn } from '../signIn';

// The Mailgun stand-in started by the backend (app-config.yaml: esp.sandbox.mailgun).
const KEY = 'sandbox-mailgun-key';
const DOMAIN = 'mg.sandbox.example';
const SANDBOX = 'http://127.0.0.1:7102';

test('an admin configures Mailgun, verifies a new domain, validates a list, sends a tagged test email and disables it', async ({
  page,
  request,
}) => {
  await signIn(page);
  await page.goto(`${ESP_ROOT}/mailgun`);

  const key = page.getByLabel(/^API Key/);
  await key.fill('key-not-valid');
  await key.blur();
  await expect(
    page.getByText(
      'Invalid API key. Please check your credentials and try again.',
    ),
  ).toBeVisible();
  await key.fill(KEY);
  await page.getByLabel(/^Domain/).fill(DOMAIN);
  await page.getByLabel('EU (api.eu.mailgun.net)').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Mailgun configuration saved.')).toBeVisible();
  await expect(
    page.getByLabel('Domain status').getByText('Active'),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(
    page.getByText(`Connected to Mailgun (${DOMAIN}).`),
  ).toBeVisible();

  // A new sending domain, checked before its DNS is published, then after.
  const NEW_DOMAIN = 'news.sandbox.example';
  await page.getByRole('button', { name: '+ Add Domain' }).click();
  const wizard = page.getByRole('dialog');
  await wizard.getByLabel(/^Domain name/).fill(NEW_DOMAIN);
  await wizard.getByRole('button', { name: 'Add domain' }).click();
  await expect(wizard.getByText('mxb.mailgun.org')).toBeVisible();
  await wizard.getByRole('button', { name: 'Verify' }).click();
  await expect(wizard.getByText(/^Not verified yet/)).toBeVisible();
  await expect(wizard.getByText('Not found')).toHaveCount(5);
  await wizard.getByRole('button', { name: 'Close' }).click();
  const row = page.getByRole('row', { name: /news\.sandbox\.example/ });
  // Unpublished records are pending, said the same way as on Postmark.
  await expect(row.getByText('Pending')).toBeVisible();
  await expect(row.getByText('Not found')).toHaveCount(3);
  await expect(
    page.getByRole('status', { name: 'Re-verify result' }),
  ).toContainText(`${NEW_DOMAIN}: Still pending:`);
  const published = await request.post(
    `${SANDBOX}/__sandbox/domains/${NEW_DOMAIN}/verify-dns`,
  );
  expect(published.ok()).toBeTruthy();
  await row.getByRole('button', { name: 'Re-verify' }).click();
  await expect(row.getByText('Verified')).toHaveCount(4);
  await row.getByRole('button', { name: 'Remove' }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Remove domain' })
    .click();
  await expect(row).toHaveCount(0);

  // List validation: estimate first, then progress to the counts.
  await page.getByRole('button', { name: 'Validate Email List' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('CSV file').setInputFiles({
    name: 'leads.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'email\nada@example.com\ninvalid@example.com\nceo@risky.example\n',
    ),
  });
  await expect(dialog.getByTestId('validation-estimate')).toContainText(
    'about 3 addresses',
  );
  await dialog.getByRole('button', { name: 'Start validation' }).click();
  await expect(dialog.getByTestId('validation-counts')).toContainText(
    '3 of 3 checked — valid 1, invalid 1, risky 1',
  );
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByLabel(/^Recipient Email/).fill('ops@example.com');
  await page.getByLabel(/^Tags/).fill('welcome, e2e');
  await page.getByRole('button', { name: 'Send Test' }).click();
  await expect(page.getByTestId('test-email-result')).toContainText(
    'Message ID',
  );
  const { messages } = await (
    await request.get(`${SANDBOX}/__sandbox/messages`)
  ).json();
  expect(messages.at(-1)).toMatchObject({
    to: ['ops@example.com'],
    tags: ['welcome', 'e2e'],
  });

  await page.goto(ESP_ROOT);
  const card = page.getByLabel('Mailgun provider');
  await expect(card.getByText('Active', { exact: true })).toBeVisible();
  await card.getByRole('checkbox', { name: 'Mailgun enabled' }).click();
  await expect(card.getByText('Configured', { exact: true })).toBeVisible();
});
