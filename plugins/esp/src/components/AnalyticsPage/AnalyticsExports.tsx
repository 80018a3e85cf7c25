import { AnalyticsView } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import { RefObject, useState } from 'react';
import { downloadBlob } from '../../lib/downloadBlob';
import { errorMessage } from '../../lib/errorMessage';
import {
  analyticsFilename,
  comparisonCsv,
  dailySeriesCsv,
} from './analyticsCsv';

type ExportKind = 'csv' | 'series' | 'pdf';

const csvBlob = (text: string) =>
  new Blob([text], { type: 'text/csv;charset=utf-8' });

/**
 * The page's exports, built in the browser from the shown answer: the
 * comparison table and the daily series as CSV, and the PDF report with the
 * charts as rendered under `chartsRoot`. The PDF code loads on first use.
 */
export const AnalyticsExports = (props: {
  view: AnalyticsView;
  chartsRoot: RefObject<HTMLElement>;
}) => {
  const { view, chartsRoot } = props;
  const [busy, setBusy] = useState<ExportKind>();
  const [failure, setFailure] = useState<string>();

  const run = async (kind: ExportKind, make: () => Promise<void>) => {
    setBusy(kind);
    setFailure(undefined);
    try {
      await make();
    } catch (e) {
      setFailure(`The export failed: ${errorMessage(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const exportPdf = async () => {
    const { buildAnalyticsPdf, renderedCharts } = await import(
      './analyticsPdf'
    );
    const charts = chartsRoot.current ? renderedCharts(chartsRoot.current) : [];
    const bytes = await buildAnalyticsPdf(view, { charts });
    downloadBlob(
      new Blob([bytes as BlobPart], { type: 'application/pdf' }),
      analyticsFilename(view, 'pdf'),
    );
  };

  const button = (
    kind: ExportKind,
    label: string,
    make: () => Promise<void>,
  ) => (
    <Button
      variant="outlined"
      disabled={busy !== undefined}
      onClick={() => run(kind, make)}
      startIcon={busy === kind ? <CircularProgress size={16} /> : undefined}
    >
      {label}
    </Button>
  );

  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 8 }}>
      {button('csv', 'Export CSV', async () =>
        downloadBlob(
          csvBlob(comparisonCsv(view)),
          analyticsFilename(view, 'csv'),
        ),
      )}
      {button('series', 'Export Daily Series', async () =>
        downloadBlob(
          csvBlob(dailySeriesCsv(view)),
          analyticsFilename(view, 'csv', 'daily'),
        ),
      )}
      {button('pdf', 'Export PDF', exportPdf)}
      {failure && (
        <Typography role="alert" color="error" variant="body2">
          {failure}
        </Typography>
      )}
    </Box>
  );
};
