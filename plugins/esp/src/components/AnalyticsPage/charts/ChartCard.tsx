import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

export const CHART_HEIGHT = 260;

/** Recharts' palette per provider, so a provider keeps its colour across charts. */
export const PROVIDER_COLORS: Record<string, string> = {
  postmark: '#1565c0',
  mailgun: '#c62828',
  smtp: '#2e7d32',
  sendgrid: '#6a1b9a',
  ses: '#ef6c00',
};

export const SLICE_COLORS = [
  '#1565c0',
  '#c62828',
  '#2e7d32',
  '#ef6c00',
  '#6a1b9a',
  '#00838f',
];

/**
 * A chart with its heading. `data-analytics-chart` marks the container the
 * PDF export takes the rendered SVG from; `empty` says so in words instead of
 * drawing axes around nothing.
 */
export const ChartCard = (props: {
  title: string;
  description?: string;
  empty?: string;
  children: ReactElement;
}) => {
  const id = `chart-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h3" id={id}>
          {props.title}
        </Typography>
        {props.description && (
          <Typography variant="caption" color="textSecondary">
            {props.description}
          </Typography>
        )}
        <div
          role="figure"
          aria-label={props.title}
          data-analytics-chart={props.title}
          style={{ width: '100%', height: CHART_HEIGHT }}
        >
          {props.empty ? (
            <Typography color="textSecondary">{props.empty}</Typography>
          ) : (
            <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
              {props.children}
            </ResponsiveContainer>
          )}
        </div>
      </CardContent>
    </Card>
  );
};
