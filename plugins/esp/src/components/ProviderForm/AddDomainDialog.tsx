import { useApi } from '@backstage/frontend-plugin-api';
import { addDomainInputSchema } from '@internal/plugin-esp-common';
import type { DomainDetailView, DomainView } from '@internal/plugin-esp-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { StatusLabel } from '../StatusLabel';
import { DnsRecordsTable } from './DnsRecordsTable';

const STEPS = ['Domain', 'DNS records', 'Verify'];

/** The domain verification wizard: name → records to publish → verification. */
export const AddDomainDialog = (props: {
  providerId: string;
  open: boolean;
  onClose: () => void;
  onChanged: () => void;
  /** What the wizard's verification found, for the table to say after it closes. */
  onVerified?: (domain: DomainView) => void;
}) => {
  const api = useApi(espApiRef);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [domain, setDomain] = useState<DomainDetailView>();
  const [verified, setVerified] = useState<DomainView>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  let step = 0;
  if (domain) step = verified ? 2 : 1;

  const close = () => {
    setName('');
    setNameError(undefined);
    setDomain(undefined);
    setVerified(undefined);
    setFailure(undefined);
    props.onClose();
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await fn();
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const add = () => {
    const parsed = addDomainInputSchema.safeParse({ name });
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message);
      return undefined;
    }
    setNameError(undefined);
    return run(async () => {
      setDomain(await api.addDomain(props.providerId, parsed.data.name));
      props.onChanged();
    });
  };

  const verify = () =>
    run(async () => {
      const result = await api.verifyDomain(props.providerId, domain!.id);
      // Reload the records so each one shows what the provider found.
      setDomain(await api.getDomain(props.providerId, domain!.id));
      setVerified(result);
      props.onVerified?.(result);
      props.onChanged();
    });

  return (
    <Dialog open={props.open} onClose={close} maxWidth="md" fullWidth>
      <DialogTitle>Add a sending domain</DialogTitle>
      <DialogContent>
        <Stepper activeStep={step}>
          {STEPS.map(label => (
            <Step key={label}>
              <StepLabel>{label}</StepLabel>
            </Step>
          ))}
        </Stepper>
        {step === 0 && (
          <TextField
            id="add-domain-name"
            label="Domain name"
            placeholder="mail.yourdomain.com"
            value={name}
            onChange={e => setName(e.target.value)}
            error={Boolean(nameError)}
            helperText={nameError ?? 'The domain your emails are sent from.'}
            fullWidth
            variant="outlined"
          />
        )}
        {domain && (
          <>
            <Typography variant="body2" paragraph>
              Publish these records at your DNS provider for{' '}
              <strong>{domain.name}</strong>, then verify. DNS changes can take
              a while to propagate; you can close this wizard and use
              “Re-verify” in the table later.
            </Typography>
            <DnsRecordsTable records={domain.records} />
          </>
        )}
        {verified && (
          <Typography component="div" style={{ marginTop: 16 }}>
            {verified.status === 'verified' ? (
              <StatusLabel tone="ok">{verified.name} is verified.</StatusLabel>
            ) : (
              <StatusLabel tone="warning">
                Not verified yet: the records are not visible to the provider.
                Try again after DNS has propagated.
              </StatusLabel>
            )}
          </Typography>
        )}
        {failure && (
          <Typography color="error" role="alert" style={{ marginTop: 16 }}>
            {failure}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{domain ? 'Close' : 'Cancel'}</Button>
        {step === 0 && (
          <Button
            color="primary"
            variant="contained"
            onClick={add}
            disabled={busy}
          >
            Add domain
          </Button>
        )}
        {domain && verified?.status !== 'verified' && (
          <Button
            color="primary"
            variant="contained"
            onClick={verify}
            disabled={busy}
          >
            Verify
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
