import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { customRangeError } from './analyticsRange';

/** Two UTC days, both counted; refused as the API would refuse them. */
export const CustomRangeDialog = (props: {
  open: boolean;
  initial: { from: string; to: string };
  onCancel: () => void;
  onApply: (range: { from: string; to: string }) => void;
}) => {
  const { open, initial, onCancel, onApply } = props;
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (open) {
      setFrom(initial.from);
      setTo(initial.to);
      setError(undefined);
    }
  }, [open, initial.from, initial.to]);

  const apply = () => {
    const problem = customRangeError(from, to);
    if (problem) {
      setError(problem);
      return;
    }
    onApply({ from, to });
  };

  return (
    <Dialog open={open} onClose={onCancel} aria-labelledby="custom-range-title">
      <DialogTitle id="custom-range-title">Custom Range</DialogTitle>
      <DialogContent>
        <TextField
          id="analytics-range-from"
          label="From"
          type="date"
          value={from}
          onChange={e => setFrom(e.target.value)}
          InputLabelProps={{ shrink: true }}
          margin="dense"
          style={{ marginRight: 16 }}
        />
        <TextField
          id="analytics-range-to"
          label="To"
          type="date"
          value={to}
          onChange={e => setTo(e.target.value)}
          InputLabelProps={{ shrink: true }}
          margin="dense"
        />
        <Typography variant="caption" display="block" color="textSecondary">
          UTC days, both counted; at most 366 days.
        </Typography>
        {error && (
          <Typography role="alert" color="error">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button color="primary" variant="contained" onClick={apply}>
          Apply
        </Button>
      </DialogActions>
    </Dialog>
  );
};
