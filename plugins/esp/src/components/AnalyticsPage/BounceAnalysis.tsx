import { useApi } from '@backstage/frontend-plugin-api';
import { AnalyticsQuery, AnalyticsView } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { espApiRef } from '../../api';
import { downloadBlob } from '../../lib/downloadBlob';
import { errorMessage } from '../../lib/errorMessage';
import { BounceReasonsChart } from './charts';
import { formatCount } from './format';

/** "example.com - 234 bounces" */
export function domainLine(d: { domain: string; bounces: number }): string {
  return `${d.domain} - ${formatCount(d.bounces)} ${
    d.bounces === 1 ? 'bounce' : 'bounces'
  }`;
}

/**
 * The bounce reasons, the domains that bounce most, and the bounce list of
 * the selected range (the backend makes that file: it holds addresses the
 * page's answer does not carry).
 */
export const BounceAnalysis = (props: {
  view: AnalyticsView;
  query: AnalyticsQuery;
}) => {
  const { view, query } = props;
  const api = useApi(espApiRef);
  const [exporting, setExporting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const onExport = async () => {
    setExporting(true);
    setFailure(undefined);
    try {
      const csv = await api.downloadBounceList(query);
      downloadBlob(csv, `esp-bounces-${view.range.from}-${view.range.to}.csv`);
    } catch (e) {
      setFailure(`The bounce list could not be exported: ${errorMessage(e)}`);
    } finally {
      setExporting(false);
    }
  };
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
        {failure && (
          <Typography role="alert" color="error" variant="body2">
            {failure}
          </Typography>
        )}
      </Grid>
    </Grid>
  );
};
