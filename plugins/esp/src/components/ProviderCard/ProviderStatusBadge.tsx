import type { ProviderStatus } from '@internal/plugin-esp-common';
import Chip from '@material-ui/core/Chip';

const BADGE: Record<ProviderStatus, { label: string; color: string }> = {
  active: { label: 'Active', color: '#1b873f' },
  configured: { label: 'Configured', color: '#1565c0' },
  error: { label: 'Error', color: '#c62828' },
  not_configured: { label: 'Not configured', color: '#757575' },
};

const COMING_SOON = { label: 'Coming soon', color: '#9e9e9e' };

/** A provider's status as a coloured badge, the same on the overview and in the catalog. */
export const ProviderStatusBadge = (props: {
  status: ProviderStatus;
  comingSoon?: boolean;
  style?: React.CSSProperties;
}) => {
  const badge = props.comingSoon ? COMING_SOON : BADGE[props.status];
  return (
    <Chip
      size="small"
      label={badge.label}
      aria-label={`Status: ${badge.label}`}
      style={{ background: badge.color, color: '#fff', ...props.style }}
    />
  );
};
