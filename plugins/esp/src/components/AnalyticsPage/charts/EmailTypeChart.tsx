import { AnalyticsView } from '@internal/plugin-esp-common';
import { ChartCard } from './ChartCard';
import { emailTypeSlices } from './chartData';
import { SlicesPie } from './SlicesPie';

/** Sent messages by email type. */
export const EmailTypeChart = ({ view }: { view: AnalyticsView }) => (
  <ChartCard title="Email type distribution">
    <SlicesPie data={emailTypeSlices(view)} />
  </ChartCard>
);
