import { useApi } from '@backstage/frontend-plugin-api';
import {
  AddressValidationJob,
  VALIDATION_PRICE_PER_THOUSAND_USD,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage, errorStatus } from '../../lib/errorMessage';

const POLL_MS = 1000;
const MAX_POLL_MS = 15_000;
const SHOWN_ROWS = 200;

/**
 * Rough count before upload, for the cost estimate: distinct non-empty lines
 * (a repeated address is checked and paid for once), minus a header.
 */
export function estimateAddressCount(csv: string): number {
  const lines = csv.split(/\r?\n/).filter(l => l.trim() !== '');
  const distinct = new Set(lines.map(l => l.trim().toLocaleLowerCase('en-US')));
  if (lines.length > 0 && !lines[0].includes('@')) return distinct.size - 1;
  return distinct.size;
}

// FileReader rather than Blob.text(): it works in every browser the portal supports.
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

// Read as text, a binary file shows control characters no CSV holds, or
// U+FFFD where its bytes were not UTF-8. The backend refuses such files too.
// eslint-disable-next-line no-control-regex -- finding them is the point
const BINARY_TEXT = /[\u0000-\u0008\u000E-\u001F\u007F\uFFFD]/;

/** Why a picked file cannot be validated, or undefined when it can. */
export function unusableFileReason(text: string): string | undefined {
  if (text.trim() === '') return 'The file is empty.';
  if (BINARY_TEXT.test(text)) {
    return 'This is not a text CSV file: export the list as CSV (UTF-8 text).';
  }
  if (estimateAddressCount(text) === 0) return 'The file holds no addresses.';
  return undefined;
}

export function estimateCostUsd(count: number): string {
  return ((count / 1000) * VALIDATION_PRICE_PER_THOUSAND_USD).toFixed(2);
}

/** "Validate Email List": CSV upload, cost estimate, progress, results and CSV download. */
export const ListValidationDialog = (props: {
  providerId: string;
  open: boolean;
  onClose: () => void;
}) => {
  const api = useApi(espApiRef);
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [job, setJob] = useState<AddressValidationJob>();
  const [failure, setFailure] = useState<string>();
  // Failed polls in a row. The validation runs on in the backend (and resumes
  // after a restart), so a failed poll is retried, ever more slowly.
  const [pollFailures, setPollFailures] = useState(0);
  const running = job?.status === 'running';

  useEffect(() => {
    if (!job || job.status !== 'running') return undefined;
    const delay = Math.min(POLL_MS * 2 ** pollFailures, MAX_POLL_MS);
    const timer = setTimeout(async () => {
      try {
        setJob(await api.getAddressValidation(props.providerId, job.id));
        setFailure(undefined);
        setPollFailures(0);
      } catch (e) {
        if (errorStatus(e) === 404) {
          // Gone for good (deleted an hour after it ended): stop asking.
          setFailure(errorMessage(e));
          setJob({ ...job, status: 'failed', error: errorMessage(e) });
          return;
        }
        setFailure(
          `Lost contact with the portal (${errorMessage(
            e,
          )}); the validation goes on, retrying…`,
        );
        setPollFailures(n => n + 1);
      }
    }, delay);
    return () => clearTimeout(timer);
  }, [api, job, pollFailures, props.providerId]);

  const choose = async (files: FileList | null) => {
    setFailure(undefined);
    setPollFailures(0);
    setJob(undefined);
    const chosen = files?.[0];
    if (chosen) setFile({ name: chosen.name, text: await readText(chosen) });
  };

  const start = async () => {
    setFailure(undefined);
    try {
      setJob(await api.startAddressValidation(props.providerId, file!.text));
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  const download = async () => {
    try {
      const csv = await api.getAddressValidationCsv(props.providerId, job!.id);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'address-validation.csv';
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setFailure(errorMessage(e));
    }
  };

  const count = file ? estimateAddressCount(file.text) : 0;
  const unusable = file ? unusableFileReason(file.text) : undefined;
  return (
    <Dialog open={props.open} onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>Validate Email List</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Upload a CSV file with one address per row (a column headed “email”,
          or the first column). Cost estimate: $
          {VALIDATION_PRICE_PER_THOUSAND_USD.toFixed(2)} per 1,000 emails
          validated.
        </Typography>
        <Button variant="outlined" component="label" disabled={running}>
          Choose CSV file
          <input
            hidden
            type="file"
            accept=".csv,text/csv"
            aria-label="CSV file"
            onChange={e => choose(e.target.files)}
          />
        </Button>
        {file && !job && unusable && (
          <Typography
            variant="body2"
            color="error"
            style={{ marginTop: 12 }}
            data-testid="validation-unusable"
          >
            {file.name}: {unusable} Choose another file to start a validation.
          </Typography>
        )}
        {file && !job && !unusable && (
          <Typography
            variant="body2"
            style={{ marginTop: 12 }}
            data-testid="validation-estimate"
          >
            {file.name}: about {count.toLocaleString('en-US')} addresses,
            estimated cost ${estimateCostUsd(count)}.
          </Typography>
        )}
        {job && (
          <Box mt={2} aria-live="polite">
            <LinearProgress
              variant="determinate"
              value={job.total ? (job.processed / job.total) * 100 : 0}
              aria-label="Validation progress"
            />
            <Typography
              variant="body2"
              style={{ marginTop: 8 }}
              data-testid="validation-counts"
            >
              {job.processed} of {job.total} checked — valid {job.counts.valid},
              invalid {job.counts.invalid}, risky {job.counts.risky}
              {job.duplicates > 0 &&
                ` — ${job.duplicates.toLocaleString('en-US')} duplicate ${
                  job.duplicates === 1 ? 'address' : 'addresses'
                } left out (checked once)`}
            </Typography>
            {job.status === 'failed' && (
              <Typography color="error" role="alert">
                Validation stopped: {job.error}
              </Typography>
            )}
          </Box>
        )}
        {job && job.status !== 'running' && job.rows.length > 0 && (
          <Table size="small" aria-label="Validation results">
            <TableHead>
              <TableRow>
                <TableCell>Line</TableCell>
                <TableCell>Address</TableCell>
                <TableCell>Verdict</TableCell>
                <TableCell>Result</TableCell>
                <TableCell>Risk</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {job.rows.slice(0, SHOWN_ROWS).map(r => (
                <TableRow key={r.line}>
                  <TableCell>{r.line}</TableCell>
                  <TableCell>{r.address}</TableCell>
                  <TableCell>{r.verdict}</TableCell>
                  <TableCell>{r.result}</TableCell>
                  <TableCell>{r.risk}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {failure && (
          <Typography color="error" role="alert" style={{ marginTop: 12 }}>
            {failure}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
        {job && job.status !== 'running' && (
          <Button onClick={download}>Download results (CSV)</Button>
        )}
        {!job && (
          <Button
            color="primary"
            variant="contained"
            disabled={!file || Boolean(unusable)}
            onClick={start}
          >
            Start validation
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
