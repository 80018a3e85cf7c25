import { AnalyticsView } from '@internal/plugin-esp-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { providerName } from '../comparisonColumns';
import { formatCount } from '../format';
import { ChartCard, PROVIDER_COLORS } from './ChartCard';
import { routingDecisionBars, routingProviders } from './chartData';

/** Messages each routing rule (or the default, cost or failover) sent, stacked by provider. */
export const RoutingDecisionsChart = ({ view }: { view: AnalyticsView }) => {
  const data = routingDecisionBars(view);
  return (
    <ChartCard
      title="Routing decisions by rule"
      description="What chose the first provider of each sent message."
      empty={data.length ? undefined : 'No routing decision in this range.'}
    >
      <BarChart data={data} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis tickFormatter={formatCount} />
        <Tooltip formatter={(value: any) => formatCount(Number(value))} />
        <Legend />
        {routingProviders(view).map(id => (
          <Bar
            key={id}
            dataKey={id}
            stackId="providers"
            name={providerName({ providerId: id })}
            fill={PROVIDER_COLORS[id]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartCard>
  );
};
