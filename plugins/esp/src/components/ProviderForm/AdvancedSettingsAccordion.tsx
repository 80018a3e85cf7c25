import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ReactNode, useEffect, useState } from 'react';

/**
 * "Advanced Settings", collapsed until the admin opens it, and opened by the
 * page when one of its fields is invalid so the error is seen. Controlled:
 * an uncontrolled MUI accordion must not change `defaultExpanded` after its
 * first render, which is what following the errors would do.
 */
export const AdvancedSettingsAccordion = (props: {
  id: string;
  hasErrors: boolean;
  children: ReactNode;
}) => {
  const [expanded, setExpanded] = useState(props.hasErrors);
  useEffect(() => {
    if (props.hasErrors) setExpanded(true);
  }, [props.hasErrors]);
  return (
    <Accordion expanded={expanded} onChange={(_, open) => setExpanded(open)}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={props.id}
      >
        <Typography>Advanced Settings</Typography>
      </AccordionSummary>
      <AccordionDetails id={props.id}>{props.children}</AccordionDetails>
    </Accordion>
  );
};
