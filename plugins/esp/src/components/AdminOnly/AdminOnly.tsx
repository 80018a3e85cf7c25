import { Content, WarningPanel } from '@backstage/core-components';
import { RequirePermission } from '@backstage/plugin-permission-react';
import { espProviderReadPermission } from '@internal/plugin-esp-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

export const ADMIN_ONLY_MESSAGE = 'ESP settings are limited to administrators';

/**
 * Shows its children to ESP admins only. The backend enforces the same rule on
 * every route; this only spares other users a page of errors.
 */
export const AdminOnly = ({ children }: { children: ReactNode }) => (
  <RequirePermission
    permission={espProviderReadPermission}
    errorPage={
      <Content>
        <WarningPanel severity="info" title={ADMIN_ONLY_MESSAGE} defaultExpanded>
          <Typography variant="body2">
            Email provider configuration, routing and delivery data are only
            available to members of the ESP admin group. Ask an ESP Hub
            administrator if you need access.
          </Typography>
        </WarningPanel>
      </Content>
    }
  >
    {children}
  </RequirePermission>
);
