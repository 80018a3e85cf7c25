import { AnalyticsView } from '@internal/plugin-esp-common';
import { ChartCard } from './ChartCard';
import { bounceReasonSlices } from './chartData';
import { SlicesPie } from './SlicesPie';

/** Bounces by reason class. */
export const BounceReasonsChart = ({ view }: { view: AnalyticsView }) => {
  const data = bounceReasonSlices(view);
  return (
    <ChartCard
      title="Bounce reasons"
      empty={data.length ? undefined : 'No message bounced in this range.'}
    >
      <SlicesPie data={data} />
    </ChartCard>
  );
};
