import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import { StatusLabel } from '../StatusLabel';

export type SaveState =
  | { status: 'idle' | 'saving' }
  | {
      status: 'saved';
      message: string;
      /** Settings the provider could not apply; the rest was saved. */
      warnings?: string[];
    }
  | { status: 'failed' | 'invalid'; message: string };

/** The bottom-right Save button with the outcome of the last save next to it. */
export const SaveBar = (props: { state: SaveState; onSave: () => void }) => {
  const { state } = props;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 16 }}>
      <Box
        role="status"
        aria-live="polite"
        display="flex"
        flexDirection="column"
        alignItems="flex-end"
      >
        {state.status === 'saved' && (
          <StatusLabel tone="ok">{state.message}</StatusLabel>
        )}
        {state.status === 'saved' &&
          state.warnings?.map(warning => (
            <Box key={warning}>
              <StatusLabel tone="warning">{warning}</StatusLabel>
            </Box>
          ))}
        {(state.status === 'failed' || state.status === 'invalid') && (
          <StatusLabel tone="error">{state.message}</StatusLabel>
        )}
      </Box>
      <Button
        variant="contained"
        color="primary"
        size="large"
        onClick={props.onSave}
        disabled={state.status === 'saving'}
        startIcon={
          state.status === 'saving' ? <CircularProgress size={16} /> : undefined
        }
      >
        Save
      </Button>
    </Box>
  );
};
