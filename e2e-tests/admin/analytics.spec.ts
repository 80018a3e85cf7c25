import { APIRequestContext, expect, Page, test } from '@playwright/test';
import {
  AnalyticsView,
  PROVIDER_DISPLAY_NAMES,
  ProviderSummary,
} from '@internal/plugin-esp-common';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { API, callEsp } from '../providers';
import { ESP_ROOT, signIn, userToken } from '../signIn';

const ANALYTICS = `${ESP_ROOT}/analytics`;
const PER_TYPE = 5;
const TRAFFIC_TYPES = 5;
const DAY_MS = 86_400_000;

// The page's formats (plugins/esp AnalyticsPage/format.ts).
const count = (n: number) => n.toLocaleString('en-US');
const rate = (r: number | null) =>
  r === null ? '—' : `${(r * 100).toFixed(1)}%`;
const countWithRate = (n: number, r: number | null) =>
  `${count(n)} (${rate(r)})`;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nameOf = (providerId: string) =>
  PROVIDER_DISPLAY_NAMES[providerId as keyof typeof PROVIDER_DISPLAY_NAMES];

/** Runs the development traffic command against the backend under test; answers what it printed. */
async function runTraffic(): Promise<string> {
  const script = path.resolve(__dirname, '../../scripts/dev-traffic.sh');
  const { stdout } = await promisify(execFile)(
    script,
    [
      '--per-type',
      String(PER_TYPE),
      '--base-url',
      'http://localhost:7007',
      // mailgun.spec configures Mailgun through its page from the start, and
      // the default routing sends this traffic through Postmark's free tier.
      '--providers',
      'postmark',
      '--timeout',
      '90',
    ],
    { timeout: 150_000 },
  );
  return stdout;
}

async function analytics(
  request: APIRequestContext,
  token: string,
  query: string,
): Promise<AnalyticsView> {
  const answer = await callEsp(request, token, 'GET', `/analytics?${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** The figures the stand-ins' late events still move: equal twice in a row means settled. */
const fingerprint = (view: AnalyticsView) =>
  JSON.stringify([view.totals, view.providers]);

/** The cards and the comparison table show what the API answers for `query`, once the page caught up. */
async function expectPageMatchesApi(
  page: Page,
  request: APIRequestContext,
  token: string,
  query: string,
) {
  const table = page.getByRole('table', { name: 'Deliverability comparison' });
  await expect(async () => {
    const view = await analytics(request, token, query);
    expect(view.providers.length).toBeGreaterThan(0);
    await expect(page.getByTestId('analytics-card-sent')).toContainText(
      count(view.totals.sent),
      { timeout: 2_000 },
    );
    await expect(page.getByTestId('analytics-card-deliveryRate')).toContainText(
      rate(view.totals.deliveryRate),
      { timeout: 2_000 },
    );
    await expect(page.getByTestId('analytics-card-openRate')).toContainText(
      rate(view.totals.openRate),
      { timeout: 2_000 },
    );
    await expect(page.getByTestId('analytics-card-clickRate')).toContainText(
      rate(view.totals.clickRate),
      { timeout: 2_000 },
    );
    // The header row, then one row per provider of the answer.
    await expect(table.getByRole('row')).toHaveCount(
      1 + view.providers.length,
      { timeout: 2_000 },
    );
    for (const p of view.providers) {
      const row = table
        .getByRole('row')
        .filter({ hasText: nameOf(p.providerId) });
      await expect(row.getByRole('cell')).toHaveText(
        [
          nameOf(p.providerId),
          count(p.sent),
          count(p.delivered),
          countWithRate(p.bounced, p.bounceRate),
          countWithRate(p.opened, p.openRate),
          countWithRate(p.clicked, p.clickRate),
          rate(p.deliveryRate),
        ],
        { timeout: 2_000 },
      );
    }
  }).toPass({ timeout: 60_000 });
}

async function pickRange(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(
    page.getByRole('button', { name: button, exact: true }),
  ).toHaveAttribute('aria-pressed', 'true');
}

test('the development traffic reaches the analytics page: ranges and the comparison table match the API, the CSV and the PDF carry the figures, and the overview agrees', async ({
  page,
  request,
}) => {
  test.setTimeout(420_000);
  await signIn(page);
  const token = await userToken(page);
  const before = await analytics(request, token, 'range=7d');

  // The real send API, the stand-ins, their events back to the receivers.
  const printed = await runTraffic();
  const summary = printed.match(/Sent (\d+) of (\d+) messages/);
  expect(summary, printed).toBeTruthy();
  expect(Number(summary![2])).toBe(PER_TYPE * TRAFFIC_TYPES);
  const sent = Number(summary![1]);
  expect(sent, printed).toBeGreaterThan(0);

  // The rollup (every 5 s here) counts them; the events keep arriving for
  // some seconds, so wait until two answers a rollup apart agree.
  let settled = '';
  await expect(async () => {
    const view = await analytics(request, token, 'range=7d');
    expect(view.totals.sent).toBeGreaterThanOrEqual(before.totals.sent + sent);
    const now = fingerprint(view);
    const previous = settled;
    settled = now;
    expect(now).toBe(previous);
  }).toPass({ timeout: 120_000, intervals: [7_000] });

  await page.goto(ANALYTICS);
  await expect(page.getByTestId('analytics-empty')).toBeHidden();
  await pickRange(page, 'Last 7 Days');
  await expect(page).toHaveURL(/range=7d/);
  await expectPageMatchesApi(page, request, token, 'range=7d');
  await pickRange(page, 'Last 90 Days');
  await expectPageMatchesApi(page, request, token, 'range=90d');
  await pickRange(page, 'Last 30 Days');
  await expectPageMatchesApi(page, request, token, 'range=30d');

  // Custom Range: the last three days, from the date picker.
  const today = utcDay(Date.now());
  const from = utcDay(Date.now() - 2 * DAY_MS);
  await page.getByRole('button', { name: 'Custom Range', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Custom Range' });
  await dialog.getByLabel('From').fill(from);
  await dialog.getByLabel('To').fill(today);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('button', { name: 'Custom Range', exact: true }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(new RegExp(`from=${from}.*to=${today}`));
  const custom = `from=${from}&to=${today}`;
  await expectPageMatchesApi(page, request, token, custom);

  // Exports of the range on screen.
  const view = await analytics(request, token, custom);
  const downloadingCsv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV', exact: true }).click();
  const csvDownload = await downloadingCsv;
  expect(csvDownload.suggestedFilename()).toBe(
    `esp-analytics-${from}-${today}.csv`,
  );
  const csv = await readFile((await csvDownload.path())!, 'utf8');
  const lines = csv.split(/\r?\n/).map(line => line.split(','));
  for (const p of view.providers) {
    const line = lines.find(cells => cells[0] === nameOf(p.providerId));
    expect(line, csv).toBeTruthy();
    expect(line!.slice(1, 4)).toEqual([
      String(p.sent),
      String(p.delivered),
      String(p.bounced),
    ]);
  }

  const downloadingPdf = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export PDF', exact: true }).click();
  const pdfDownload = await downloadingPdf;
  expect(pdfDownload.suggestedFilename()).toBe(
    `esp-analytics-${from}-${today}.pdf`,
  );
  const pdf = await readFile((await pdfDownload.path())!);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const { PDFParse } = await import('pdf-parse');
  const { text } = await new PDFParse({ data: new Uint8Array(pdf) }).getText();
  for (const p of view.providers) {
    expect(text).toContain(nameOf(p.providerId));
    expect(text).toContain(count(p.sent));
    expect(text).toContain(rate(p.deliveryRate));
  }

  // The overview's quick stats come from the same rollups.
  const todayView = await analytics(
    request,
    token,
    `from=${today}&to=${today}`,
  );
  const month = await analytics(request, token, 'range=30d');
  const { providers } = (await callEsp(request, token, 'GET', '/providers'))
    .body as { providers: ProviderSummary[] };
  await page.goto(ESP_ROOT);
  for (const p of todayView.providers) {
    const summaryOf = providers.find(s => s.providerId === p.providerId)!;
    expect(summaryOf.usage.sentToday).toBe(p.sent);
    const card = page.getByLabel(`${nameOf(p.providerId)} provider`);
    await expect(
      card.getByLabel(`Emails sent today: ${count(p.sent)}`),
    ).toBeVisible();
    const lastMonth = month.providers.find(m => m.providerId === p.providerId)!;
    expect(summaryOf.usage.deliveryRate).toBeCloseTo(
      lastMonth.deliveryRate!,
      6,
    );
    await expect(
      card.getByLabel(`Delivery rate: ${rate(lastMonth.deliveryRate)}`),
    ).toBeVisible();
  }

  // The specs after this one read the providers' catalog entities, which
  // the catalog reads again on a provider change or every 10 minutes, not on
  // a send: a connection test is such a change, so the catalog takes in the
  // traffic (active: sent in the last 24 hours) before this spec ends.
  for (const p of todayView.providers) {
    const tested = await callEsp(
      request,
      token,
      'POST',
      `/providers/${p.providerId}/test`,
    );
    expect(tested.status, JSON.stringify(tested.body)).toBe(200);
    await expect
      .poll(
        async () => {
          const res = await request.get(
            `${API}/catalog/entities/by-name/resource/default/esp-${p.providerId}`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          return res.ok()
            ? (await res.json()).metadata.annotations['esp-hub.io/status']
            : `HTTP ${res.status()}`;
        },
        { timeout: 90_000 },
      )
      .toBe('active');
  }
});
