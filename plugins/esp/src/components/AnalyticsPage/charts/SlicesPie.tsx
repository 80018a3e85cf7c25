import { Cell, Legend, Pie, PieChart, Tooltip } from 'recharts';
import { formatCount } from '../format';
import { SLICE_COLORS } from './ChartCard';
import { Slice, sliceLabel } from './chartData';

/** A pie whose slices are labelled with their share. */
export const SlicesPie = ({ data }: { data: Slice[] }) => (
  <PieChart>
    <Pie
      data={data}
      dataKey="value"
      nameKey="name"
      outerRadius={90}
      label={(entry: { name?: string }) => {
        // The share comes from the answer, not recharts' own arithmetic.
        const slice = data.find(d => d.name === entry.name);
        return slice ? sliceLabel(slice) : entry.name;
      }}
      isAnimationActive={false}
    >
      {data.map((slice, i) => (
        <Cell key={slice.key} fill={SLICE_COLORS[i % SLICE_COLORS.length]} />
      ))}
    </Pie>
    <Tooltip formatter={(value: any) => formatCount(Number(value))} />
    <Legend />
  </PieChart>
);
