import { Link } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

/**
 * "Current Routing Configuration", collapsed by default. Routing rules arrive
 * with a later release: until then it says there are none, rather than showing
 * a rule that nothing applies.
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
      <Typography variant="subtitle2">No routing rules yet</Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Routing email types to providers, with failover, arrives in a later
        release. Until then nothing routes: each email is sent through the
        provider it is sent with.
      </Typography>
      <Link to={props.routingPath}>Edit Routing Rules</Link>
    </AccordionDetails>
  </Accordion>
);
