import { InfoCard } from '@backstage/core-components';
import type { ConnectionView } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import type { ReactNode } from 'react';
import { ConnectionTest } from '../ConnectionTest';
import { SaveBar, SaveState } from './SaveBar';
import { TestEmailCard } from './TestEmailCard';

/**
 * What frames every provider page: the connection status on top, the
 * provider's own sections in between, the test email and the bottom-right Save.
 */
export const ConfigPageFrame = (props: {
  providerId: string;
  providerName: string;
  connection: ConnectionView;
  /** When the configuration was last saved. */
  updatedAt: string | null;
  /** Credentials are stored, so a connection test can run. */
  testable: boolean;
  configured: boolean;
  /** Switched off on the overview: nothing is sent through it. */
  enabled: boolean;
  onTested: () => void;
  save: SaveState;
  onSave: () => void;
  withTags?: boolean;
  children: ReactNode;
}) => (
  <Grid container spacing={3}>
    <Grid item xs={12}>
      <InfoCard title="Connection Status">
        <ConnectionTest
          providerId={props.providerId}
          connection={props.connection}
          configured={props.testable}
          disabled={props.configured && !props.enabled}
          providerName={props.providerName}
          resetKey={props.updatedAt}
          onTested={props.onTested}
        />
      </InfoCard>
    </Grid>
    {props.children}
    <Grid item xs={12}>
      <TestEmailCard
        providerId={props.providerId}
        providerName={props.providerName}
        configured={props.configured}
        withTags={props.withTags}
      />
    </Grid>
    <Grid item xs={12}>
      <Box display="flex" justifyContent="flex-end">
        <SaveBar state={props.save} onSave={props.onSave} />
      </Box>
    </Grid>
  </Grid>
);
