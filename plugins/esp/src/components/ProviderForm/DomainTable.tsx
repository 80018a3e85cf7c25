import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DomainCheck,
  DomainDetailView,
  DomainStatus,
  DomainView,
} from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
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

// A DNS check that failed found no record: said as the DNS records dialog says it.
const CHECK: Record<DomainCheck, [Tone, string]> = {
  verified: ['ok', 'Verified'],
  pending: ['warning', 'Pending'],
  failed: ['error', 'Not found'],
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

/** What the last Re-verify found, and when it asked. */
type VerifyOutcome = { domain: DomainView; checkedAt: Date };

/**
 * The sentence after a Re-verify, the same for every provider: verified, or
 * "Still pending" with the records the provider does not see yet. A domain
 * whose records are not found yet is waiting for DNS, not failed.
 */
export function describeVerifyOutcome(
  outcome: VerifyOutcome,
  checks: DomainCheckColumn[],
): { tone: Tone; text: string } {
  const at = outcome.checkedAt.toLocaleTimeString();
  const { domain } = outcome;
  if (domain.status === 'verified') {
    return {
      tone: 'ok',
      text: `${domain.name} is verified (checked at ${at}).`,
    };
  }
  if (domain.status === 'failed') {
    // Only a domain the provider stopped (e.g. Mailgun's "disabled") fails.
    return {
      tone: 'error',
      text: `${domain.name} failed verification: the provider has stopped this domain (checked at ${at}). See its dashboard.`,
    };
  }
  const missing = checks
    .filter(
      c => domain[c.key] !== 'verified' && domain[c.key] !== 'not_applicable',
    )
    .map(c => c.label);
  const what =
    missing.length > 0
      ? `${missing.join(', ')} not found yet`
      : 'the provider has not confirmed the domain yet';
  return {
    tone: 'warning',
    text: `${domain.name}: Still pending: ${what}. Checked at ${at}; DNS changes can take a while to propagate.`,
  };
}

// Status words never break ("Verifie/d"); the domain name may, between labels.
const nowrap = { whiteSpace: 'nowrap' } as const;

/** "Domain Verification": the provider's sending domains with their DNS checks. */
export const DomainTable = (props: {
  providerId: string;
  refreshKey: unknown;
  checks: DomainCheckColumn[];
  /** A domain was added, verified or removed: what depends on the domains may have changed. */
  onChanged?: () => void;
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
  const [verified, setVerified] = useState<VerifyOutcome>();
  const { onChanged } = props;

  const changed = () => {
    retry();
    onChanged?.();
  };

  // A result belongs to the action that made it: each new action clears the last one's.
  const act = async (
    domainId: string,
    fn: () => Promise<unknown>,
    options: { changes: boolean } = { changes: true },
  ) => {
    setBusy(domainId);
    setFailure(undefined);
    setVerified(undefined);
    try {
      await fn();
      if (options.changes) changed();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  const available = value?.available ?? false;
  const verifiedNote =
    verified && describeVerifyOutcome(verified, props.checks);
  return (
    <div id={DOMAIN_TABLE_ANCHOR}>
      <InfoCard
        title="Domain Verification"
        action={
          <Button
            color="primary"
            variant="outlined"
            onClick={() => {
              setVerified(undefined);
              setAdding(true);
            }}
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
          <Box style={{ overflowX: 'auto' }}>
            <Table size="small" aria-label="Verified domains">
              <TableHead>
                <TableRow>
                  <TableCell style={{ width: '100%' }}>Domain</TableCell>
                  <TableCell style={nowrap}>Status</TableCell>
                  {props.checks.map(c => (
                    <TableCell key={c.key} style={nowrap}>
                      {c.label}
                    </TableCell>
                  ))}
                  <TableCell style={nowrap}>Actions</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.domains.map(d => (
                  <TableRow key={d.id}>
                    <TableCell
                      style={{ overflowWrap: 'anywhere', minWidth: 160 }}
                    >
                      {d.name}
                    </TableCell>
                    <TableCell style={nowrap}>
                      <Label entry={STATUS[d.status]} />
                    </TableCell>
                    {props.checks.map(c => (
                      <TableCell key={c.key} style={nowrap}>
                        <Label entry={CHECK[d[c.key]]} />
                      </TableCell>
                    ))}
                    <TableCell style={nowrap}>
                      <Button
                        size="small"
                        disabled={busy === d.id}
                        onClick={() =>
                          act(
                            d.id,
                            async () =>
                              setDns(
                                await api.getDomain(props.providerId, d.id),
                              ),
                            { changes: false },
                          )
                        }
                      >
                        View DNS Records
                      </Button>
                      <Button
                        size="small"
                        disabled={busy === d.id}
                        onClick={() =>
                          act(d.id, async () =>
                            setVerified({
                              domain: await api.verifyDomain(
                                props.providerId,
                                d.id,
                              ),
                              checkedAt: new Date(),
                            }),
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
          </Box>
        )}
        {verifiedNote && (
          <Box mt={1} role="status" aria-label="Re-verify result">
            <StatusLabel tone={verifiedNote.tone}>
              {verifiedNote.text}
            </StatusLabel>
          </Box>
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
          onChanged={changed}
          // The wizard's check counts as a Re-verify: the table says the same after it.
          onVerified={domain => setVerified({ domain, checkedAt: new Date() })}
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
