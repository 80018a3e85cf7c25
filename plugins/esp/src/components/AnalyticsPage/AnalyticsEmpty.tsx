import { EmptyState } from '@backstage/core-components';

/** Where the traffic command for development is described. */
export const TRAFFIC_HINT =
  'Send mail through ESP Hub, or in development run the traffic command described in the README (“Development traffic”): the figures appear after the next rollup.';

/** A range without mail: said honestly, never drawn as zeros. */
export const AnalyticsEmpty = (props: { from: string; to: string }) => (
  <div data-testid="analytics-empty">
    <EmptyState
      missing="data"
      title="No email was sent in this range."
      description={`Nothing was sent from ${props.from} to ${props.to}. ${TRAFFIC_HINT}`}
    />
  </div>
);
