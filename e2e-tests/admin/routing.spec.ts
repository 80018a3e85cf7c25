import {
  APIRequestContext,
  expect,
  Locator,
  Page,
  test,
} from '@playwright/test';
import { callEsp, configureProviders } from '../providers';
import { ESP_ROOT, signIn, userToken } from '../signIn';

/**
 * Postmark and Mailgun configured (against the stand-ins) and enabled,
 * whatever the tests before left; the routing starts from two known rules.
 */
async function startFromTwoRules(request: APIRequestContext, token: string) {
  await configureProviders(request, token, ['postmark', 'mailgun']);
  const current = (await callEsp(request, token, 'GET', '/routing')).body;
  const saved = await callEsp(request, token, 'PUT', '/routing', {
    ...current,
    defaultProvider: 'postmark',
    rules: [
      { emailType: 'transactional', provider: 'postmark', priority: 1 },
      { emailType: 'marketing', provider: 'mailgun', priority: 2 },
    ],
    failover: {
      ...current.failover,
      enabled: true,
      chain: ['postmark', 'mailgun'],
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return saved.body.version as number;
}

/**
 * A mouse drag the way a person makes one: press, move past the library's
 * click threshold, and only once the card is lifted (its placeholder is in
 * the list) measure where the other card is and move there; drop once that
 * card has moved aside. Measuring before the lift raced the page's late
 * layout (CI saw a drag end where the order did not change).
 */
async function dragAbove(page: Page, handle: Locator, target: Locator) {
  await handle.scrollIntoViewIfNeeded();
  const from = (await handle.boundingBox())!;
  const x = from.x + from.width / 2;
  await page.mouse.move(x, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, from.y + from.height / 2 - 12, { steps: 6 });
  await expect(page.locator('[data-rfd-placeholder-context-id]')).toHaveCount(
    1,
  );
  const to = (await target.boundingBox())!;
  await page.mouse.move(x, to.y - 8, { steps: 20 });
  const targetItem = page.locator('li', { has: target });
  await expect(targetItem).toHaveAttribute('style', /transform: translate/);
  await page.mouse.up();
}

const ruleNames = (page: Page) =>
  page
    .getByRole('list', { name: 'Routing rules' })
    .getByRole('group')
    .evaluateAll(groups => groups.map(g => g.getAttribute('aria-label')));

test('an admin reorders rules and the failover chain, saves, dry-runs a message, rolls back, and the overview follows', async ({
  page,
  request,
}) => {
  await signIn(page);
  const first = await startFromTwoRules(request, await userToken(page));
  await page.goto(`${ESP_ROOT}/routing`);

  const diagram = page.getByRole('list', { name: 'Routing diagram' });
  await expect(diagram.getByLabel('Transactional → Postmark')).toBeVisible();
  await expect(diagram.getByLabel('Marketing → Mailgun')).toBeVisible();
  expect(await ruleNames(page)).toEqual([
    'Rule 1 (Transactional)',
    'Rule 2 (Marketing)',
  ]);

  // Drag the Marketing card above the Transactional one with the mouse.
  await dragAbove(
    page,
    page.getByRole('button', { name: 'Reorder Rule 2 (Marketing)' }),
    page.getByRole('button', { name: 'Reorder Rule 1 (Transactional)' }),
  );
  await expect
    .poll(() => ruleNames(page))
    .toEqual(['Rule 1 (Marketing)', 'Rule 2 (Transactional)']);
  await expect(page.getByText('Unsaved changes')).toBeVisible();

  // Mailgun first in the failover order, from the keyboard.
  const chain = page.getByRole('list', { name: 'Failover Order' });
  await expect(chain.getByRole('listitem').first()).toHaveAccessibleName(
    '1. Primary: Postmark',
  );
  await page
    .getByRole('button', { name: 'Reorder Mailgun in the failover order' })
    .focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  await expect(chain.getByRole('listitem').first()).toHaveAccessibleName(
    '1. Primary: Mailgun',
  );

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByText(`Routing saved as version ${first + 1}.`),
  ).toBeVisible();
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);

  await page.reload();
  await expect
    .poll(() => ruleNames(page))
    .toEqual(['Rule 1 (Marketing)', 'Rule 2 (Transactional)']);
  await expect(chain.getByRole('listitem').first()).toHaveAccessibleName(
    '1. Primary: Mailgun',
  );

  // The dry run explains which provider a sample marketing email gets.
  const form = page.getByRole('form', { name: 'Test a message' });
  await form.getByLabel('Test email type').selectOption('marketing');
  await form.getByLabel('Test subject').fill('Spring sale');
  await form.getByLabel('Test recipients').fill('ada@example.com');
  await form.getByRole('button', { name: 'Explain routing' }).click();
  const explanation = page.getByRole('status', { name: 'Routing explanation' });
  await expect(explanation).toContainText('Mailgun');
  await expect(explanation).toContainText('Rule 1 (Marketing)');

  // Back to the first version: a new version with its rules.
  await page
    .getByRole('button', { name: `Roll back to version ${first}` })
    .click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Roll back' })
    .click();
  await expect
    .poll(() => ruleNames(page))
    .toEqual(['Rule 1 (Transactional)', 'Rule 2 (Marketing)']);
  await expect(
    page.getByRole('table', { name: 'Routing versions' }),
  ).toContainText(`Rolled back to version ${first}`);

  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByText('Current Routing Configuration').click();
  const summary = page.getByRole('list', { name: 'Current routing' });
  await expect(summary).toContainText('Transactional Emails → Postmark');
  await expect(summary).toContainText('Marketing Emails → Mailgun');
  await expect(summary).toContainText('Default → Postmark');
});
