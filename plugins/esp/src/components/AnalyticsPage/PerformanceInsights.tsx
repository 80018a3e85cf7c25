import { AnalyticsView } from '@internal/plugin-esp-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { INSIGHT_MARKS, insightBasis, insightSubject } from './insightText';

/** The recommendations and the figure each rests on; or why there are none. */
export const PerformanceInsights = ({ view }: { view: AnalyticsView }) => {
  if (!view.insights.length) {
    return (
      <Typography color="textSecondary">
        {view.insightsNote ?? 'No recommendation for this range.'}
      </Typography>
    );
  }
  return (
    <List dense aria-label="Performance insights">
      {view.insights.map(insight => {
        const subject = insightSubject(insight);
        return (
          <ListItem key={`${insight.id}:${insight.providerId ?? 'all'}`}>
            <ListItemIcon>
              <span role="img" aria-label={insight.level}>
                {INSIGHT_MARKS[insight.level]}
              </span>
            </ListItemIcon>
            <ListItemText
              // A long recommendation wraps inside its card.
              style={{ minWidth: 0 }}
              primaryTypographyProps={{ style: { whiteSpace: 'normal' } }}
              secondaryTypographyProps={{ style: { whiteSpace: 'normal' } }}
              primary={
                <>
                  {subject && <strong>{subject}</strong>}
                  {subject && ': '}
                  {insight.message}
                </>
              }
              secondary={insightBasis(insight)}
            />
          </ListItem>
        );
      })}
    </List>
  );
};
