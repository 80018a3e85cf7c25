import {
  ANALYTICS_DEFINITIONS,
  AnalyticsCost,
} from '@internal/plugin-esp-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { providerName } from './comparisonColumns';
import { NO_FIGURE, formatCount, formatUnitCost, formatUsd } from './format';

/** "Postmark: $0.00126 (5,192 delivered)" */
export function costLine(p: AnalyticsCost['providers'][number]): string {
  return `${providerName(p)}: ${formatUnitCost(
    p.costPerDelivered,
  )} (${formatCount(p.delivered)} delivered)`;
}

export function projectedAnnualText(cost: AnalyticsCost): string {
  return cost.projectedAnnual === null
    ? NO_FIGURE
    : formatUsd(cost.projectedAnnual);
}

/** The spec's cost block, at the routing prices and the real volume. */
export const CostAnalysis = ({ cost }: { cost: AnalyticsCost }) => (
  <div aria-label="Cost analysis" role="region">
    <Tooltip title={ANALYTICS_DEFINITIONS.costPerDelivered}>
      <Typography variant="subtitle2">Cost per Delivered Email:</Typography>
    </Tooltip>
    <ul>
      {cost.providers.map(p => (
        <li key={p.providerId}>
          <Typography variant="body2">{costLine(p)}</Typography>
        </li>
      ))}
    </ul>
    <Typography variant="body2">
      Total Cost This Month: {formatUsd(cost.totalThisMonth)}
    </Typography>
    <Tooltip title={ANALYTICS_DEFINITIONS.projectedAnnual}>
      <Typography variant="body2">
        Projected Annual Cost: {projectedAnnualText(cost)}
      </Typography>
    </Tooltip>
    {cost.projectedAnnual === null && (
      <Typography variant="caption" color="textSecondary">
        Nothing was sent this month yet, so there is nothing to project.
      </Typography>
    )}
  </div>
);
