import { Link, Progress } from '@backstage/core-components';
import {
  EmailType,
  RoutingConfig,
  routingProviderName,
} from '@internal/plugin-esp-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useRouting } from '../../hooks/useRouting';
import { errorMessage } from '../../lib/errorMessage';
import {
  describeConditions,
  draftFromView,
  ruleTypeName,
} from '../RoutingPage/routingForm';

/** How the spec's summary names a type: "Transactional Emails", "Cold Outreach". */
const SUMMARY_NAMES: Record<Exclude<EmailType, 'custom'>, string> = {
  transactional: 'Transactional Emails',
  marketing: 'Marketing Emails',
  cold_outreach: 'Cold Outreach',
  newsletter: 'Newsletters',
  promotional: 'Promotional Emails',
};

/** The saved routing, one line per enabled rule in priority order, then the fallback. */
export function routingSummaryLines(config: RoutingConfig): string[] {
  const rules = draftFromView(config).rules.filter(r => r.enabled);
  return [
    ...rules.map(rule => {
      const type =
        rule.emailType === 'custom'
          ? ruleTypeName(rule)
          : SUMMARY_NAMES[rule.emailType];
      const when = rule.conditions.length
        ? ` (${describeConditions(rule.conditions)})`
        : '';
      return `${type}${when} → ${routingProviderName(rule.provider)}`;
    }),
    `Default → ${routingProviderName(config.defaultProvider)}`,
  ];
}

const SummaryBody = () => {
  const { value, loading, error, retry } = useRouting();
  if (loading && !value) return <Progress />;
  if (error) {
    return (
      <Typography color="error" variant="body2" paragraph>
        Could not load the routing: {errorMessage(error)}{' '}
        <Button size="small" onClick={retry}>
          Retry
        </Button>
      </Typography>
    );
  }
  const lines = routingSummaryLines(value!);
  return (
    <>
      {lines.length === 1 && (
        <Typography variant="subtitle2">No routing rules yet</Typography>
      )}
      <Box
        component="ul"
        aria-label="Current routing"
        style={{ listStyle: 'none', paddingLeft: 0, fontFamily: 'monospace' }}
      >
        {lines.map(line => (
          <li key={line}>{line}</li>
        ))}
      </Box>
    </>
  );
};

/**
 * "Current Routing Configuration", collapsed by default: the SAVED rules as
 * the spec draws them, and the way to the routing page.
 */
export const RoutingSummary = (props: { routingPath: string }) => (
  <Accordion defaultExpanded={false} TransitionProps={{ unmountOnExit: true }}>
    <AccordionSummary
      expandIcon={<ExpandMoreIcon />}
      aria-controls="routing-summary"
    >
      <Typography>Current Routing Configuration</Typography>
    </AccordionSummary>
    <AccordionDetails id="routing-summary" style={{ display: 'block' }}>
      <SummaryBody />
      <Link to={props.routingPath}>Edit Routing Rules</Link>
    </AccordionDetails>
  </Accordion>
);
