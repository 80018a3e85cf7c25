import { AnalyticsView } from '@internal/plugin-esp-common';
import { ChartCard } from './ChartCard';
import { chartProviders, deliveryRateSeries } from './chartData';
import { ProviderLines } from './ProviderLines';

/** Delivery rate over time, one line per provider. */
export const DeliveryRateChart = ({ view }: { view: AnalyticsView }) => (
  <ChartCard
    title="Delivery rate over time"
    description="Delivered ÷ sent, per send day."
  >
    <ProviderLines
      data={deliveryRateSeries(view)}
      providers={chartProviders(view)}
      tickFormatter={v => `${v}%`}
      domain={['auto', 100]}
    />
  </ChartCard>
);
