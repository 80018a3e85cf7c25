import { AnalyticsView } from '@internal/plugin-esp-common';
import { formatCount } from '../format';
import { ChartCard } from './ChartCard';
import { sentVolumeBars } from './chartData';
import { ProviderBars } from './ProviderBars';

/** Messages each provider sent in the range. */
export const SentVolumeChart = ({ view }: { view: AnalyticsView }) => (
  <ChartCard title="Sent volume by provider">
    <ProviderBars
      data={sentVolumeBars(view)}
      name="Sent"
      tickFormatter={formatCount}
    />
  </ChartCard>
);
