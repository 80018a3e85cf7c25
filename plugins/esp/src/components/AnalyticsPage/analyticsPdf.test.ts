import {
  displayName,
  emptyView,
  specView,
} from '../../__testUtils__/analyticsFixtures';
import { formatCount, formatRate } from './format';
import { buildAnalyticsPdf, renderedCharts } from './analyticsPdf';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  const result = await new PDFParse({ data: bytes }).getText();
  return result.text;
}

describe('buildAnalyticsPdf', () => {
  it('writes a real PDF whose text holds the range, cards, comparison table, insights, cost and domains', async () => {
    const view = specView();
    const bytes = await buildAnalyticsPdf(view, {
      now: new Date('2026-12-02T12:00:00Z'),
    });
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const text = await pdfText(bytes);

    expect(text).toContain('ESP Analytics');
    expect(text).toContain('Range: 2026-11-03 to 2026-12-02 (30 days, UTC)');
    expect(text).toContain('Generated: 2026-12-02T12:00:00.000Z');
    expect(text).toContain(formatCount(view.totals.sent));
    expect(text).toContain(formatRate(view.totals.deliveryRate));

    const postmark = view.providers.find(p => p.providerId === 'postmark')!;
    // The spec's Postmark row, derived from the fixture's daily counts.
    expect(formatCount(postmark.sent)).toBe('5,234');
    expect(formatRate(postmark.deliveryRate)).toBe('99.2%');
    for (const p of view.providers) {
      expect(text).toContain(displayName(p.providerId));
      expect(text).toContain(formatCount(p.sent));
      expect(text).toContain(formatCount(p.delivered));
      expect(text).toContain(
        `${formatCount(p.bounced)} (${formatRate(p.bounceRate)})`,
      );
      expect(text).toContain(formatRate(p.deliveryRate));
    }
    expect(text).toContain('5,234');
    expect(text).toContain('99.2%');

    expect(text).toContain(
      'Good: Postmark: Excellent for transactional emails. 99.2% delivery rate.',
    );
    expect(text).toContain('Postmark: $0.00126 (5,192 delivered)');
    expect(text).toContain('Total Cost This Month:');
    expect(text).toContain('example.com - 234 bounces');
  });

  it('says why there are no insights in an empty range, and skips a chart it cannot convert', async () => {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const text = await pdfText(
      await buildAnalyticsPdf(emptyView(), {
        charts: [{ title: 'Delivery rate over time', svg }],
      }),
    );
    expect(text).toContain('No email was sent in this range.');
    expect(text).toContain('Too little mail');
    expect(text).toContain('Delivery rate over time');
  });

  it('takes each chart’s own SVG from the page (not a legend icon) and draws it as vectors', async () => {
    const root = document.createElement('div');
    root.innerHTML = `
      <div data-analytics-chart="Sent volume by provider">
        <div class="recharts-wrapper">
          <svg class="recharts-surface" width="400" height="200" viewBox="0 0 400 200" xmlns="http://www.w3.org/2000/svg">
            <rect x="10" y="50" width="80" height="150" fill="#1565c0"></rect>
          </svg>
          <div class="recharts-legend-wrapper"><svg class="recharts-surface" width="14" height="14"></svg></div>
        </div>
      </div>
      <div data-analytics-chart="Bounce reasons"><p>No message bounced in this range.</p></div>`;
    // Attached, as on the page (svg2pdf reads computed styles); jsdom cannot
    // measure text, so this chart holds shapes only.
    document.body.appendChild(root);
    const charts = renderedCharts(root);
    expect(charts.map(c => c.title)).toEqual(['Sent volume by provider']);
    expect(charts[0].svg.getAttribute('width')).toBe('400');

    const bytes = await buildAnalyticsPdf(specView(), { charts });
    const text = await pdfText(bytes);
    expect(text).toContain('Sent volume by provider');
    expect(text).not.toContain('could not be drawn');
  });
});
