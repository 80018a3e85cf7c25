import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DomainCheck,
  DomainDetailView,
  DomainStatus,
  DomainView,
} from '@internal/plugin-esp-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { useDomains } from '../../hooks/useDomains';
import { errorMessage } from '../../lib/errorMessage';
import { StatusLabel, Tone } from '../StatusLabel';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { AddDomainDialog } from './AddDomainDialog';
import { DnsRecordsTable } from './DnsRecordsTable';

const STATUS: Record<DomainStatus, [Tone, string]> = {
  verified: ['ok', 'Verified'],
  pending: ['warning', 'Pending'],
  failed: ['error', 'Failed'],
};

const CHECK: Record<DomainCheck, [Tone, string]> = {
  verified: ['ok', 'Verified'],
  pending: ['warning', 'Pending'],
  failed: ['error', 'Failed'],
  not_applicable: ['neutral', 'n/a'],
};

const Label = ({ entry }: { entry: [Tone, string] }) => (
  <StatusLabel tone={entry[0]}>{entry[1]}</StatusLabel>
);

/** Where "View DNS records →" links to. */
export const DOMAIN_TABLE_ANCHOR = 'domain-verification';

/** A DNS check column of the table; providers check different records. */
export type DomainCheckColumn = {
  key: 'dkim' | 'returnPath' | 'spf' | 'cname';
  label: string;
};

/** "Domain Verification": the provider's sending domains with their DNS checks. */
export const DomainTable = (props: {
  providerId: string;
  refreshKey: unknown;
  checks: DomainCheckColumn[];
}) => {
  const api = useApi(espApiRef);
  const { value, loading, error, retry } = useDomains(
    props.providerId,
    props.refreshKey,
  );
  const [adding, setAdding] = useState(false);
  const [dns, setDns] = useState<DomainDetailView>();
  const [removing, setRemoving] = useState<DomainView>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const act = async (domainId: string, fn: () => Promise<unknown>) => {
    setBusy(domainId);
    setFailure(undefined);
    try {
      await fn();
      retry();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  const available = value?.available ?? false;
  return (
    <div id={DOMAIN_TABLE_ANCHOR}>
      <InfoCard
        title="Domain Verification"
        action={
          <Button
            color="primary"
            variant="outlined"
            onClick={() => setAdding(true)}
            disabled={!available}
            style={{ marginTop: 8 }}
          >
            + Add Domain
          </Button>
        }
      >
        {loading && !value && <Progress />}
        {error && (
          <ErrorWithRetry
            error={error}
            title="Could not load the domains"
            onRetry={retry}
          />
        )}
        {value && !value.available && (
          <Typography variant="body2" color="textSecondary">
            {value.reason}
          </Typography>
        )}
        {value?.available && value.domains.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No sending domains yet. Add one to verify it with DKIM and a
            Return-Path.
          </Typography>
        )}
        {value?.available && value.domains.length > 0 && (
          <Table size="small" aria-label="Verified domains">
            <TableHead>
              <TableRow>
                <TableCell>Domain</TableCell>
                <TableCell>Status</TableCell>
                {props.checks.map(c => (
                  <TableCell key={c.key}>{c.label}</TableCell>
                ))}
                <TableCell>Actions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {value.domains.map(d => (
                <TableRow key={d.id}>
                  <TableCell>{d.name}</TableCell>
                  <TableCell>
                    <Label entry={STATUS[d.status]} />
                  </TableCell>
                  {props.checks.map(c => (
                    <TableCell key={c.key}>
                      <Label entry={CHECK[d[c.key]]} />
                    </TableCell>
                  ))}
                  <TableCell>
                    <Button
                      size="small"
                      disabled={busy === d.id}
                      onClick={() =>
                        act(d.id, async () =>
                          setDns(await api.getDomain(props.providerId, d.id)),
                        )
                      }
                    >
                      View DNS Records
                    </Button>
                    <Button
                      size="small"
                      disabled={busy === d.id}
                      onClick={() =>
                        act(d.id, () =>
                          api.verifyDomain(props.providerId, d.id),
                        )
                      }
                    >
                      Re-verify
                    </Button>
                    <Button
                      size="small"
                      disabled={busy === d.id}
                      onClick={() => setRemoving(d)}
                    >
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {failure && (
          <Typography color="error" role="alert">
            {failure}
          </Typography>
        )}

        <AddDomainDialog
          providerId={props.providerId}
          open={adding}
          onClose={() => setAdding(false)}
          onChanged={retry}
        />

        <Dialog
          open={Boolean(dns)}
          onClose={() => setDns(undefined)}
          maxWidth="md"
          fullWidth
        >
          <DialogTitle>DNS records for {dns?.name}</DialogTitle>
          <DialogContent>
            {dns && <DnsRecordsTable records={dns.records} />}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setDns(undefined)}>Close</Button>
          </DialogActions>
        </Dialog>

        <Dialog open={Boolean(removing)} onClose={() => setRemoving(undefined)}>
          <DialogTitle>Remove {removing?.name}?</DialogTitle>
          <DialogContent>
            <DialogContentText>
              The domain is removed from the provider. Emails from this domain
              cannot be sent until it is added and verified again.
            </DialogContentText>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setRemoving(undefined)}>Cancel</Button>
            <Button
              color="secondary"
              variant="contained"
              onClick={() => {
                const d = removing!;
                setRemoving(undefined);
                act(d.id, () => api.removeDomain(props.providerId, d.id));
              }}
            >
              Remove domain
            </Button>
          </DialogActions>
        </Dialog>
      </InfoCard>
    </div>
  );
};
