import { expect, test } from '@playwright/test';
import { ESP_ROOT, signIn } from '../signIn';

// The portal in e2e talks to the local Postmark stand-in started by the backend
// (esp.sandbox in app-config.yaml); these are its tokens.
const SERVER_TOKEN = 'sandbox-server-token';
const ACCOUNT_TOKEN = 'sandbox-account-token';
const SANDBOX = 'http://127.0.0.1:7101';
// Unique per run, so the test also passes against a portal that ran it before.
const DOMAIN = `e2e-${Date.now()}.example.com`;

test('an admin configures Postmark, tests it, sends a test email and toggles it on the overview', async ({
  page,
  request,
}) => {
  await signIn(page);
  await page.goto(`${ESP_ROOT}/postmark`);

  const token = page.getByLabel(/^API Token/);
  await expect(token).toHaveAttribute('type', 'password');

  // A wrong token is refused on blur with the spec's message.
  await token.fill('not-a-real-token');
  await token.blur();
  await expect(
    page.getByText(
      'Invalid API key. Please check your credentials and try again.',
    ),
  ).toBeVisible();

  await token.fill(SERVER_TOKEN);
  await token.blur();
  await expect(
    page.getByText(
      'Invalid API key. Please check your credentials and try again.',
    ),
  ).toHaveCount(0);
  await page.getByLabel(/^Account Token/).fill(ACCOUNT_TOKEN);
  await page.getByLabel(/^Default Sender/).fill(`noreply@${DOMAIN}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/saved/i).first()).toBeVisible();

  // The token field now shows a mask, never the token.
  await expect(page.getByText(SERVER_TOKEN)).toHaveCount(0);

  await page.getByRole('button', { name: 'Test Connection' }).click();
  await expect(
    page.getByText('Connected', { exact: true }).first(),
  ).toBeVisible();

  // Verify the sending domain: add it, let the stand-in "see" the DNS records, re-verify.
  await page.getByRole('button', { name: '+ Add Domain' }).click();
  await page
    .getByRole('dialog')
    .getByLabel(/domain/i)
    .fill(DOMAIN);
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /next|add/i })
    .click();
  await expect(page.getByRole('dialog').getByText(/_domainkey/)).toBeVisible();
  const published = await request.post(
    `${SANDBOX}/__sandbox/domains/${DOMAIN}/verify-dns`,
  );
  expect(published.ok()).toBeTruthy();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /verify/i })
    .click();
  await expect(
    page.getByRole('dialog').getByText(`${DOMAIN} is verified.`),
  ).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  const row = page.getByRole('row', {
    name: new RegExp(DOMAIN.replace(/\./g, '\\.')),
  });
  await expect(row.getByText('Verified').first()).toBeVisible();

  await page.getByLabel(/^Recipient Email/).fill(`someone@${DOMAIN}`);
  await page.getByRole('button', { name: 'Send Test' }).click();
  const result = page.getByTestId('test-email-result');
  await expect(result).toContainText(/message id/i);

  // The stand-in really received it.
  const sent = await (
    await request.get(`${SANDBOX}/__sandbox/messages`)
  ).json();
  expect(JSON.stringify(sent)).toContain(`someone@${DOMAIN}`);

  // The overview shows the provider as active; disabling it changes its card.
  await page.goto(ESP_ROOT);
  const card = page.getByLabel('Postmark provider');
  await expect(card.getByText('Active', { exact: true })).toBeVisible();
  await card.getByRole('checkbox', { name: 'Postmark enabled' }).click();
  await expect(card.getByText('Configured', { exact: true })).toBeVisible();
  await expect(card.getByText('Disabled', { exact: true })).toBeVisible();
  await card.getByRole('checkbox', { name: 'Postmark enabled' }).click();
  await expect(card.getByText('Active', { exact: true })).toBeVisible();
});
