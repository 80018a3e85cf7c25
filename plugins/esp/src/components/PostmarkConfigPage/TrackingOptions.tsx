import { Link } from '@backstage/core-components';
import type { PostmarkTracking } from '@internal/plugin-esp-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import Typography from '@material-ui/core/Typography';

const OPTIONS: Array<{
  key: keyof PostmarkTracking;
  label: string;
  help: string;
}> = [
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
    <FormGroup>
      {OPTIONS.map(option => (
        <FormControlLabel
          key={option.key}
          control={
            <Checkbox
              color="primary"
              checked={props.value[option.key]}
              onChange={e =>
                props.onChange({
                  ...props.value,
                  [option.key]: e.target.checked,
                })
              }
            />
          }
          label={
            <span>
              <strong>{option.label}</strong>: {option.help}
            </span>
          }
        />
      ))}
    </FormGroup>
    <Typography variant="body2" color="textSecondary">
      Tracking requires webhook configuration.{' '}
      <Link to={props.webhooksPath}>Set up webhooks →</Link>
    </Typography>
  </>
);
