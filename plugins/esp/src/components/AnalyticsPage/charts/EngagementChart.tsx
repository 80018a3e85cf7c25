import {
  ANALYTICS_DEFINITIONS,
  AnalyticsView,
} from '@internal/plugin-esp-common';
import { ChartCard } from './ChartCard';
import { engagementBars } from './chartData';
import { ProviderBars } from './ProviderBars';

const TITLES = {
  openRate: 'Open rate by provider',
  clickRate: 'Click rate by provider',
} as const;

/** Open or click rate per provider over the range. */
export const EngagementChart = (props: {
  view: AnalyticsView;
  rate: 'openRate' | 'clickRate';
}) => (
  <ChartCard
    title={TITLES[props.rate]}
    description={ANALYTICS_DEFINITIONS[props.rate]}
  >
    <ProviderBars
      data={engagementBars(props.view, props.rate)}
      name={props.rate === 'openRate' ? 'Open rate' : 'Click rate'}
      tickFormatter={v => `${v}%`}
    />
  </ChartCard>
);
