import { AnalyticsView } from '@internal/plugin-esp-common';
import { jsPDF as JsPdf } from 'jspdf';
import { autoTable } from 'jspdf-autotable';
import { COMPARISON_COLUMNS } from './comparisonColumns';
import { costLine, projectedAnnualText } from './CostAnalysis';
import { domainLine } from './BounceAnalysis';
import { NO_FIGURE, formatCount, formatRate, formatUsd } from './format';
import { INSIGHT_WORDS, insightBasis, insightSubject } from './insightText';

/** A chart as the page rendered it: its heading and its recharts SVG. */
export type PdfChart = { title: string; svg: SVGElement };

const MARGIN = 40;
const LINE = 14;

// The PDF's standard fonts encode WinAnsi only: the page's dash for an
// absent figure has a safe stand-in.
const pdfText = (text: string) => text.split(NO_FIGURE).join('n/a');

/**
 * The analytics report as a PDF: title and range, the four cards, the
 * comparison table, insights, cost, top bouncing domains, then the charts as
 * vector graphics. A chart whose SVG cannot be converted (jsdom has no
 * layout) is left out with a line saying so, rather than failing the report.
 */
export async function buildAnalyticsPdf(
  view: AnalyticsView,
  options: { charts?: PdfChart[]; now?: Date } = {},
): Promise<Uint8Array> {
  const doc = new JsPdf({ unit: 'pt', format: 'a4' });
  const width = doc.internal.pageSize.getWidth() - 2 * MARGIN;
  const bottom = doc.internal.pageSize.getHeight() - MARGIN;
  let y = MARGIN;

  const room = (needed: number) => {
    if (y + needed > bottom) {
      doc.addPage();
      y = MARGIN;
    }
  };
  const heading = (text: string) => {
    room(2 * LINE);
    y += 6;
    doc.setFont('helvetica', 'bold').setFontSize(13).text(text, MARGIN, y);
    y += LINE + 2;
    doc.setFont('helvetica', 'normal').setFontSize(10);
  };
  const paragraph = (text: string) => {
    for (const line of doc.splitTextToSize(pdfText(text), width) as string[]) {
      room(LINE);
      doc.text(line, MARGIN, y);
      y += LINE;
    }
  };
  const table = (head: string[], body: string[][]) => {
    autoTable(doc, {
      head: [head],
      body: body.map(row => row.map(pdfText)),
      startY: y,
      margin: { left: MARGIN, right: MARGIN },
      styles: { fontSize: 9 },
      headStyles: { fillColor: [21, 101, 192] },
    });
    y = (doc as any).lastAutoTable.finalY + LINE;
  };

  doc
    .setFont('helvetica', 'bold')
    .setFontSize(18)
    .text('ESP Analytics', MARGIN, y + 4);
  y += 2 * LINE;
  doc.setFont('helvetica', 'normal').setFontSize(10);
  paragraph(
    `Range: ${view.range.from} to ${view.range.to} (${view.range.days} days, UTC)`,
  );
  paragraph(`Generated: ${(options.now ?? new Date()).toISOString()}`);
  paragraph(`Data through: ${view.dataThrough ?? 'no rollup yet'}`);

  if (view.empty) {
    heading('No email was sent in this range.');
  }

  heading('Summary');
  table(
    [
      'Total Emails Sent',
      'Average Delivery Rate',
      'Average Open Rate',
      'Average Click Rate',
    ],
    [
      [
        formatCount(view.totals.sent),
        formatRate(view.totals.deliveryRate),
        formatRate(view.totals.openRate),
        formatRate(view.totals.clickRate),
      ],
    ],
  );

  heading('Deliverability Comparison');
  table(
    COMPARISON_COLUMNS.map(c => c.title),
    view.providers.map(p => COMPARISON_COLUMNS.map(c => c.text(p))),
  );

  heading('Performance Insights');
  if (!view.insights.length) {
    paragraph(view.insightsNote ?? 'No recommendation for this range.');
  }
  for (const insight of view.insights) {
    const subject = insightSubject(insight);
    paragraph(
      `${INSIGHT_WORDS[insight.level]}: ${subject ? `${subject}: ` : ''}${
        insight.message
      }`,
    );
    doc.setFontSize(8);
    paragraph(insightBasis(insight));
    doc.setFontSize(10);
  }

  heading('Cost Analysis');
  paragraph('Cost per Delivered Email:');
  for (const p of view.cost.providers) paragraph(`- ${costLine(p)}`);
  paragraph(`Total Cost This Month: ${formatUsd(view.cost.totalThisMonth)}`);
  paragraph(`Projected Annual Cost: ${projectedAnnualText(view.cost)}`);

  heading('Top Bouncing Domains');
  if (!view.topBouncingDomains.length)
    paragraph('No message bounced in this range.');
  view.topBouncingDomains.forEach((d, i) =>
    paragraph(`${i + 1}. ${domainLine(d)}`),
  );

  const charts = options.charts ?? [];
  if (charts.length) {
    // Imported here: only a report with charts needs the SVG converter.
    const { svg2pdf } = await import('svg2pdf.js');
    for (const chart of charts) {
      const box = chart.svg.getBoundingClientRect?.();
      const ratio = box && box.width > 0 ? box.height / box.width : 0.5;
      const height = Math.min(width * ratio, 300);
      // A chart's heading stays on the page of its chart.
      room(height + 3 * LINE);
      heading(chart.title);
      try {
        await svg2pdf(chart.svg, doc, { x: MARGIN, y, width, height });
        y += height + LINE;
      } catch {
        paragraph('(This chart could not be drawn into the PDF.)');
      }
    }
  }

  return new Uint8Array(doc.output('arraybuffer'));
}

/** The rendered charts inside `root`, with their headings, for the report. */
export function renderedCharts(root: ParentNode): PdfChart[] {
  return [
    ...root.querySelectorAll<HTMLElement>('[data-analytics-chart]'),
  ].flatMap(container => {
    // The chart's own surface, not a legend icon (also a recharts-surface).
    const svg =
      container.querySelector<SVGElement>('.recharts-wrapper > svg') ??
      container.querySelector<SVGElement>('svg.recharts-surface');
    return svg ? [{ title: container.dataset.analyticsChart ?? '', svg }] : [];
  });
}
