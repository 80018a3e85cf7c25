import { ConfigurableProviderId } from '@internal/plugin-esp-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { providerName } from '../comparisonColumns';
import { PROVIDER_COLORS } from './ChartCard';
import type { DailyRow } from './chartData';

/** One line per provider over the range's days (a null breaks the line). */
export const ProviderLines = (props: {
  data: DailyRow[];
  providers: ConfigurableProviderId[];
  tickFormatter: (value: number) => string;
  domain?: [number | 'auto', number | 'auto'];
}) => (
  <LineChart
    data={props.data}
    margin={{ top: 8, right: 16, left: 0, bottom: 0 }}
  >
    <CartesianGrid strokeDasharray="3 3" />
    <XAxis dataKey="day" />
    <YAxis tickFormatter={props.tickFormatter} domain={props.domain} />
    <Tooltip formatter={(value: any) => props.tickFormatter(Number(value))} />
    <Legend />
    {props.providers.map(id => (
      <Line
        key={id}
        type="monotone"
        dataKey={id}
        name={providerName({ providerId: id })}
        stroke={PROVIDER_COLORS[id]}
        // A range with one day of mail has one point per line: draw it.
        dot={{ r: 3 }}
        isAnimationActive={false}
      />
    ))}
  </LineChart>
);
