import { AnalyticsView } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { BounceReasonsChart } from './charts';
import { formatCount } from './format';

/** "example.com - 234 bounces" */
export function domainLine(d: { domain: string; bounces: number }): string {
  return `${d.domain} - ${formatCount(d.bounces)} ${
    d.bounces === 1 ? 'bounce' : 'bounces'
  }`;
}

/** The bounce reasons, the domains that bounce most, and the bounce list. */
export const BounceAnalysis = (props: {
  view: AnalyticsView;
  exporting: boolean;
  onExport: () => void;
}) => {
  const { view, exporting, onExport } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <BounceReasonsChart view={view} />
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="h6" component="h3">
          Top Bouncing Domains
        </Typography>
        {view.topBouncingDomains.length ? (
          <ol aria-label="Top bouncing domains">
            {view.topBouncingDomains.map(d => (
              <li key={d.domain}>
                <Typography variant="body2">{domainLine(d)}</Typography>
              </li>
            ))}
          </ol>
        ) : (
          <Typography color="textSecondary">
            No message bounced in this range.
          </Typography>
        )}
        <Box mt={1}>
          <Button
            variant="outlined"
            onClick={onExport}
            disabled={exporting}
            startIcon={exporting ? <CircularProgress size={16} /> : undefined}
          >
            Export Bounce List
          </Button>
        </Box>
      </Grid>
    </Grid>
  );
};
