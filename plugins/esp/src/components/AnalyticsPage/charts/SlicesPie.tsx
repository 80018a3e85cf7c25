import { Cell, Legend, Pie, PieChart, Tooltip } from 'recharts';
import { formatCount } from '../format';
import { SLICE_COLORS } from './ChartCard';
import { Slice, sliceLabel } from './chartData';

/**
 * A pie with each slice's share in the legend beside it: labels around the
 * pie would run past a half-width card's edge.
 */
export const SlicesPie = ({ data }: { data: Slice[] }) => (
  <PieChart>
    <Pie
      data={data}
      dataKey="value"
      nameKey="name"
      outerRadius={90}
      isAnimationActive={false}
    >
      {data.map((slice, i) => (
        <Cell key={slice.key} fill={SLICE_COLORS[i % SLICE_COLORS.length]} />
      ))}
    </Pie>
    <Tooltip formatter={(value: any) => formatCount(Number(value))} />
    <Legend
      layout="vertical"
      align="right"
      verticalAlign="middle"
      formatter={(name: string) => {
        // The share comes from the answer, not recharts' own arithmetic.
        const slice = data.find(d => d.name === name);
        return slice ? sliceLabel(slice) : name;
      }}
    />
  </PieChart>
);
