import { InputError } from '@backstage/errors';
import {
  AnalyticsQuery,
  analyticsQuerySchema,
  describeValidationIssue,
  espAnalyticsReadPermission,
} from '@internal/plugin-esp-common';
import Router from 'express-promise-router';
import type { AnalyticsService } from '../analytics/AnalyticsService';
import type { BouncedAddressRow } from '../analytics/AnalyticsStore';
import { CsvCell, toCsv, toCsvRows } from '../lib/csv';
import type { RequestContext } from './requestContext';

/** The bounce list's columns, in the order the CSV has them. */
export const BOUNCE_CSV_COLUMNS = [
  'address',
  'provider',
  'reason class',
  'provider reason',
  'bounced at',
  'message id',
] as const;

function bounceCsvRow(row: BouncedAddressRow): CsvCell[] {
  return [
    row.address,
    row.provider,
    row.reasonClass,
    row.providerReason,
    row.bouncedAt.toISOString(),
    row.messageId,
  ];
}

// The shared field labels read `to` as the send API's "Recipient Email":
// here it is a range's end.
const RANGE_FIELDS: Record<string, string> = { from: 'From', to: 'To' };

/** The query, or a 400 whose sentences name each bad parameter. */
function parseAnalyticsQuery(query: unknown): AnalyticsQuery {
  const result = analyticsQuerySchema.safeParse(query ?? {});
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues
      .map(issue => {
        const field = RANGE_FIELDS[String(issue.path[0])];
        return field && issue.path.length === 1
          ? `${field}: ${issue.message}.`
          : describeValidationIssue(issue);
      })
      .join(' '),
  );
}

/** The analytics page's API (admins with esp.analytics.read): the answer and the bounce list. */
export function createAnalyticsRoutes(options: {
  context: RequestContext;
  analytics: AnalyticsService;
}) {
  const { context, analytics } = options;
  const router = Router();

  router.get('/analytics', async (req, res) => {
    await context.authorize(req, espAnalyticsReadPermission);
    const query = parseAnalyticsQuery(req.query);
    res.json(await analytics.query(query));
  });

  // Streamed page by page: a range's bounces may be many.
  router.get('/analytics/bounces.csv', async (req, res) => {
    await context.authorize(req, espAnalyticsReadPermission);
    const query = parseAnalyticsQuery(req.query);
    const { range, pages } = analytics.bounceList(query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="esp-bounces-${range.from}-${range.to}.csv"`,
    );
    res.write(toCsv(BOUNCE_CSV_COLUMNS, []));
    for await (const page of pages) {
      res.write(toCsvRows(page.map(bounceCsvRow)));
    }
    res.end();
  });

  return router;
}
