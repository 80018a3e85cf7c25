import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

/** What qualifies as each type, as the spec lists it. */
const DEFINITIONS: Array<{ type: string; examples: string[] }> = [
  {
    type: 'Transactional',
    examples: [
      'Password resets',
      'Email verification',
      'Order confirmations',
      'Account alerts',
      'System notifications',
    ],
  },
  {
    type: 'Marketing',
    examples: [
      'Newsletters',
      'Product announcements',
      'Promotional campaigns',
      'Event invitations',
    ],
  },
  {
    type: 'Cold Outreach',
    examples: ['Sales prospecting', 'Lead generation', 'Custom campaigns'],
  },
];

/** The expandable "Email Type Definitions", collapsed until asked for. */
export const EmailTypeDefinitions = () => (
  <Accordion defaultExpanded={false}>
    <AccordionSummary
      expandIcon={<ExpandMoreIcon />}
      aria-controls="email-type-definitions"
      id="email-type-definitions-header"
    >
      <Typography variant="h6" component="h2">
        Email Type Definitions
      </Typography>
    </AccordionSummary>
    <AccordionDetails
      id="email-type-definitions"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 32 }}
    >
      {DEFINITIONS.map(d => (
        <Box key={d.type} minWidth={200}>
          <Typography variant="subtitle2" component="h3">
            {d.type}
          </Typography>
          <ul aria-label={`${d.type} examples`}>
            {d.examples.map(e => (
              <li key={e}>
                <Typography variant="body2">{e}</Typography>
              </li>
            ))}
          </ul>
        </Box>
      ))}
      <Box minWidth={200}>
        <Typography variant="body2" color="textSecondary">
          Newsletter, Promotional and Custom emails are routed by rules of their
          own type; a Custom type is matched by the name the sender gives.
        </Typography>
      </Box>
    </AccordionDetails>
  </Accordion>
);
