import { Link } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

/**
 * "Current Routing Configuration", collapsed by default. No routing rules can be
 * defined yet, so it shows the one rule in force: everything goes to the default.
 */
export const RoutingSummary = (props: { routingPath: string }) => (
  <Accordion defaultExpanded={false}>
    <AccordionSummary
      expandIcon={<ExpandMoreIcon />}
      aria-controls="routing-summary"
    >
      <Typography>Current Routing Configuration</Typography>
    </AccordionSummary>
    <AccordionDetails id="routing-summary" style={{ display: 'block' }}>
      <Typography
        component="pre"
        variant="body2"
        style={{ fontFamily: 'monospace' }}
      >
        Default → Built-in SMTP
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        No routing rules yet: every email type uses the default provider.
      </Typography>
      <Link to={props.routingPath}>Edit Routing Rules</Link>
    </AccordionDetails>
  </Accordion>
);
