import { AnalyticsView } from '@internal/plugin-esp-common';
import { ChartCard } from './ChartCard';
import { chartProviders, timeToOpenSeries } from './chartData';
import { ProviderLines } from './ProviderLines';

/** "45 min", "2.5 h": the axis in the unit that reads best. */
export function minutesLabel(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** Mean time from send to first open, per provider per send day. */
export const TimeToOpenChart = ({ view }: { view: AnalyticsView }) => {
  const data = timeToOpenSeries(view);
  const anyOpen = data.some(row =>
    Object.entries(row).some(([k, v]) => k !== 'day' && v !== null),
  );
  return (
    <ChartCard
      title="Time to open"
      description="Mean time from send to the first open, per send day."
      empty={anyOpen ? undefined : 'No message was opened in this range.'}
    >
      <ProviderLines
        data={data}
        providers={chartProviders(view)}
        tickFormatter={minutesLabel}
      />
    </ChartCard>
  );
};
