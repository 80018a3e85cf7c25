import {
  ANALYTICS_DEFINITIONS,
  AnalyticsTotals,
} from '@internal/plugin-esp-common';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { formatCount, formatRate } from './format';

type CardSpec = {
  id: 'sent' | 'deliveryRate' | 'openRate' | 'clickRate';
  title: string;
  value: (totals: AnalyticsTotals) => string;
};

const CARDS: CardSpec[] = [
  { id: 'sent', title: 'Total Emails Sent', value: t => formatCount(t.sent) },
  {
    id: 'deliveryRate',
    title: 'Average Delivery Rate',
    value: t => formatRate(t.deliveryRate),
  },
  {
    id: 'openRate',
    title: 'Average Open Rate',
    value: t => formatRate(t.openRate),
  },
  {
    id: 'clickRate',
    title: 'Average Click Rate',
    value: t => formatRate(t.clickRate),
  },
];

/** The four figures of the top row; each card's tooltip says how it is computed. */
export const MetricCards = ({ totals }: { totals: AnalyticsTotals }) => (
  <Grid container spacing={2}>
    {CARDS.map(card => (
      <Grid item xs={12} sm={6} md={3} key={card.id}>
        <Tooltip title={ANALYTICS_DEFINITIONS[card.id]}>
          <Card data-testid={`analytics-card-${card.id}`}>
            <CardContent>
              <Typography variant="subtitle2" color="textSecondary">
                {card.title}
              </Typography>
              <Typography variant="h4" component="p">
                {card.value(totals)}
              </Typography>
            </CardContent>
          </Card>
        </Tooltip>
      </Grid>
    ))}
  </Grid>
);
