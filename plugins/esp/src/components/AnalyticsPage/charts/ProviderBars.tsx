import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { PROVIDER_COLORS } from './ChartCard';
import type { ProviderBar } from './chartData';

/** One bar per provider, in the provider's colour. */
export const ProviderBars = (props: {
  data: ProviderBar[];
  name: string;
  tickFormatter: (value: number) => string;
}) => (
  <BarChart
    data={props.data}
    margin={{ top: 8, right: 16, left: 0, bottom: 0 }}
  >
    <CartesianGrid strokeDasharray="3 3" />
    <XAxis dataKey="provider" />
    <YAxis tickFormatter={props.tickFormatter} />
    <Tooltip formatter={(value: any) => props.tickFormatter(Number(value))} />
    <Bar dataKey="value" name={props.name} isAnimationActive={false}>
      {props.data.map(bar => (
        <Cell key={bar.providerId} fill={PROVIDER_COLORS[bar.providerId]} />
      ))}
    </Bar>
  </BarChart>
);
