import { InfoCard, Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AnalyticsQuery,
  AnalyticsView,
  espAnalyticsReadPermission,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAnalytics } from '../../hooks/useAnalytics';
import { errorMessage } from '../../lib/errorMessage';
import { relativeTime } from '../../lib/relativeTime';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { AnalyticsEmpty } from './AnalyticsEmpty';
import { AnalyticsExports } from './AnalyticsExports';
import { BounceAnalysis } from './BounceAnalysis';
import { CostAnalysis } from './CostAnalysis';
import { DeliverabilityTable } from './DeliverabilityTable';
import { MetricCards } from './MetricCards';
import { PerformanceInsights } from './PerformanceInsights';
import { TimeRangeSelector } from './TimeRangeSelector';
import { rangeFromSearch, rangeKey, searchWithRange } from './analyticsRange';
import {
  DeliveryRateChart,
  EmailTypeChart,
  EngagementChart,
  RoutingDecisionsChart,
  SentVolumeChart,
  TimeToOpenChart,
} from './charts';

/** Everything below the range selector, for an answer with mail in it. */
const AnalyticsFigures = (props: {
  view: AnalyticsView;
  query: AnalyticsQuery;
}) => {
  const { view, query } = props;
  return (
    <>
      <Grid item xs={12}>
        <MetricCards totals={view.totals} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Deliverability Comparison">
          <DeliverabilityTable providers={view.providers} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <DeliveryRateChart view={view} />
      </Grid>
      <Grid item xs={12} md={6}>
        <SentVolumeChart view={view} />
      </Grid>
      <Grid item xs={12} md={6}>
        <EmailTypeChart view={view} />
      </Grid>
      <Grid item xs={12} md={6}>
        <RoutingDecisionsChart view={view} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Performance Insights">
          <PerformanceInsights view={view} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Cost Analysis">
          <CostAnalysis cost={view.cost} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Bounce Analysis">
          <BounceAnalysis view={view} query={query} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <EngagementChart view={view} rate="openRate" />
      </Grid>
      <Grid item xs={12} md={6}>
        <EngagementChart view={view} rate="clickRate" />
      </Grid>
      <Grid item xs={12}>
        <TimeToOpenChart view={view} />
      </Grid>
    </>
  );
};

/** The range selector, the state of the answer, and the figures. */
const AnalyticsDashboard = () => {
  const [search, setSearch] = useSearchParams();
  const query = rangeFromSearch(search);
  const key = rangeKey(query);
  const analytics = useAnalytics(query, key);
  const chartsRoot = useRef<HTMLDivElement>(null);
  const { view } = analytics;

  let body: JSX.Element;
  if (analytics.loading) {
    body = (
      <Grid item xs={12}>
        <Progress />
      </Grid>
    );
  } else if (analytics.error || !view) {
    body = (
      <Grid item xs={12}>
        <ErrorWithRetry
          error={analytics.error ?? new Error('No answer')}
          title="Could not load the analytics"
          onRetry={analytics.reload}
        />
      </Grid>
    );
  } else if (view.empty) {
    body = (
      <Grid item xs={12}>
        <AnalyticsEmpty from={view.range.from} to={view.range.to} />
      </Grid>
    );
  } else {
    body = <AnalyticsFigures view={view} query={query} />;
  }

  return (
    <div ref={chartsRoot}>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            justifyContent="space-between"
            style={{ gap: 12 }}
          >
            <TimeRangeSelector
              value={query}
              shown={view?.range}
              onChange={next => setSearch(searchWithRange(search, next))}
            />
            {view && !view.empty && (
              <AnalyticsExports view={view} chartsRoot={chartsRoot} />
            )}
          </Box>
          {view && (
            <Typography variant="caption" color="textSecondary" component="p">
              {view.range.from} to {view.range.to} (UTC) · Data through{' '}
              {view.dataThrough
                ? relativeTime(view.dataThrough)
                : 'no rollup yet'}
            </Typography>
          )}
          {analytics.refreshError && (
            <Typography role="status" color="error" variant="body2">
              Could not refresh the figures (
              {errorMessage(analytics.refreshError)}
              ); showing those computed {relativeTime(view?.generatedAt)}.
            </Typography>
          )}
        </Grid>
        {body}
      </Grid>
    </div>
  );
};

/**
 * The Analytics tab: how each provider really did with the mail it sent,
 * from the backend's rollups, with exports of what is shown.
 */
export const AnalyticsPage = () => {
  const { loading, allowed } = usePermission({
    permission: espAnalyticsReadPermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <Typography>
        The analytics page needs the esp.analytics.read permission.
      </Typography>
    );
  }
  return <AnalyticsDashboard />;
};
