import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

/**
 * A failed load with the backend's explanation and a way to try again without
 * reloading the whole portal (and losing whatever else is on the page).
 */
export const ErrorWithRetry = (props: {
  error: Error;
  title: string;
  onRetry: () => void;
}) => (
  <>
    <ResponseErrorPanel error={props.error} title={props.title} />
    <Box mt={1}>
      <Button variant="outlined" onClick={props.onRetry}>
        Retry
      </Button>
    </Box>
  </>
);
