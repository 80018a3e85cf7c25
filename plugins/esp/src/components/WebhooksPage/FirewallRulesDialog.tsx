import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef, FIREWALL_FORMATS, FirewallFormat } from '../../api';
import { useReloadable } from '../../hooks/useReloadable';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { CopyButton } from './CopyButton';

/**
 * "Add to Firewall": the backend's rules letting the providers' published
 * ranges reach the receivers, in the syntax of the admin's firewall.
 */
export const FirewallRulesDialog = (props: {
  open: boolean;
  onClose: () => void;
}) => {
  const api = useApi(espApiRef);
  const [format, setFormat] = useState<FirewallFormat>('nftables');
  const rules = useReloadable(
    () =>
      props.open ? api.getFirewallRules(format) : Promise.resolve(undefined),
    [api, format, props.open],
  );
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="firewall-rules-title"
    >
      <DialogTitle id="firewall-rules-title">Add to Firewall</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Rules that accept the providers' webhook ranges on the backend's port.
          Review them, then add them to your firewall.
        </Typography>
        <Tabs
          value={format}
          onChange={(_e, value: FirewallFormat) => setFormat(value)}
          aria-label="Firewall"
        >
          {FIREWALL_FORMATS.map(f => (
            <Tab key={f} value={f} label={f} />
          ))}
        </Tabs>
        <Box mt={2}>
          {rules.loading && !rules.value && <Progress />}
          {rules.error && (
            <ErrorWithRetry
              error={rules.error}
              title="Could not generate the rules"
              onRetry={rules.retry}
            />
          )}
          {rules.value && rules.value.format === format && (
            <>
              <Box
                component="pre"
                p={2}
                aria-label={`${format} rules`}
                style={{ overflowX: 'auto', background: 'rgba(0,0,0,0.06)' }}
              >
                {rules.value.rules}
              </Box>
              <CopyButton
                label="Copy rules"
                ariaLabel={`Copy the ${format} rules`}
                text={rules.value.rules}
              />
            </>
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};
