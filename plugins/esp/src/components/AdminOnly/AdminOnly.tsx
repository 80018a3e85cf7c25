import { Progress, WarningPanel } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { espAdministerPermission } from '@internal/plugin-esp-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

export const ADMIN_ONLY_MESSAGE = 'ESP settings are limited to administrators';

/**
 * Shows its children to ESP admins only. The backend enforces the same rule on
 * every route; this only spares other users a page of errors. (usePermission
 * rather than RequirePermission: the latter reaches for the legacy app context
 * for its default error page.)
 */
export const AdminOnly = ({ children }: { children: ReactNode }) => {
  // The umbrella permission: whoever administers ESP Hub sees its pages.
  const { loading, allowed } = usePermission({
    permission: espAdministerPermission,
  });
  if (loading) return <Progress />;
  if (allowed) return <>{children}</>;
  return (
    <WarningPanel severity="info" title={ADMIN_ONLY_MESSAGE} defaultExpanded>
      <Typography variant="body2">
        Email provider configuration, routing and delivery data are only
        available to members of the ESP admin group. Ask an ESP Hub
        administrator if you need access.
      </Typography>
    </WarningPanel>
  );
};
