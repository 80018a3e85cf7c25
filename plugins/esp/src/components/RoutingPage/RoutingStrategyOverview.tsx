import { InfoCard } from '@backstage/core-components';
import {
  RoutingConfig,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { describeConditions, draftFromView, ruleTypeName } from './routingForm';

/**
 * "Email Type → Provider", drawn from the SAVED rules (what mail follows now,
 * not the edits on screen): the enabled rules in priority order, then the
 * fallback.
 */
export const RoutingStrategyOverview = (props: { saved: RoutingConfig }) => {
  const rules = draftFromView(props.saved).rules.filter(r => r.enabled);
  const rows = [
    ...rules.map(rule => ({
      // Saved rules always have an id; keys from draftFromView change each render.
      key: rule.id ?? rule.key,
      type: rule.conditions.length
        ? `${ruleTypeName(rule)} (${describeConditions(rule.conditions)})`
        : ruleTypeName(rule),
      provider: routingProviderName(rule.provider),
    })),
    {
      key: 'default',
      type: 'Default (Fallback)',
      provider: routingProviderName(props.saved.defaultProvider),
    },
  ];
  return (
    <InfoCard title="Routing Strategy Overview">
      <Typography variant="subtitle2" gutterBottom>
        Email Type → Provider
      </Typography>
      <Box
        component="ul"
        aria-label="Routing diagram"
        style={{ listStyle: 'none', margin: 0, padding: 0, maxWidth: 560 }}
      >
        {rows.map((row, index) => (
          <Box
            component="li"
            key={row.key}
            display="flex"
            aria-label={`${row.type} → ${row.provider}`}
          >
            <Box
              flex="0 0 60%"
              px={2}
              py={1}
              border={1}
              borderColor="divider"
              borderTop={index === 0 ? 1 : 0}
            >
              {row.type}
            </Box>
            <Box display="flex" alignItems="center" px={2}>
              → {row.provider}
            </Box>
          </Box>
        ))}
      </Box>
      {rules.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No routing rules are saved yet: every email goes to the fallback.
        </Typography>
      )}
    </InfoCard>
  );
};
