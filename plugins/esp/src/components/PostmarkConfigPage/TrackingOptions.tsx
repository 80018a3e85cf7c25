import { Link } from '@backstage/core-components';
import type { PostmarkTracking } from '@internal/plugin-esp-common';
import Typography from '@material-ui/core/Typography';
import { TrackingCheckboxes, TrackingOption } from '../ProviderForm';

const OPTIONS: Array<TrackingOption<keyof PostmarkTracking>> = [
  {
    key: 'trackOpens',
    label: 'Track Opens',
    help: 'Enable open tracking pixels.',
  },
  {
    key: 'trackLinks',
    label: 'Track Links',
    help: 'Convert links to tracking URLs.',
  },
  {
    key: 'trackDelivery',
    label: 'Track Delivery',
    help: 'Receive delivery confirmations (webhook required).',
  },
];

export const TrackingOptions = (props: {
  value: PostmarkTracking;
  onChange: (value: PostmarkTracking) => void;
  webhooksPath: string;
}) => (
  <>
    <TrackingCheckboxes
      options={OPTIONS}
      value={props.value}
      onChange={props.onChange}
    />
    <Typography variant="body2" color="textSecondary">
      Tracking requires webhook configuration.{' '}
      <Link to={props.webhooksPath}>Set up webhooks →</Link>
    </Typography>
  </>
);
