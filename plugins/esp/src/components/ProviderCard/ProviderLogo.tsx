import type { ProviderId } from '@internal/plugin-esp-common';
import Avatar from '@material-ui/core/Avatar';
import DnsIcon from '@material-ui/icons/Dns';

// Brand colours as plain monograms: no third-party logo files are shipped.
const BRAND: Record<ProviderId, { initials: string; color: string }> = {
  postmark: { initials: 'PM', color: '#ffde00' },
  mailgun: { initials: 'MG', color: '#f06b66' },
  smtp: { initials: '', color: '#607d8b' },
  sendgrid: { initials: 'SG', color: '#1a82e2' },
  ses: { initials: 'SES', color: '#ff9900' },
};

export const ProviderLogo = (props: {
  providerId: ProviderId;
  name: string;
}) => {
  const brand = BRAND[props.providerId];
  return (
    <Avatar
      aria-label={`${props.name} logo`}
      style={{
        background: brand.color,
        color: '#1d1d1d',
        fontWeight: 700,
        fontSize: 14,
      }}
    >
      {props.providerId === 'smtp' ? (
        <DnsIcon htmlColor="#fff" />
      ) : (
        brand.initials
      )}
    </Avatar>
  );
};
