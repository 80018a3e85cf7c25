import { EmptyState } from '@backstage/core-components';

/** An honest placeholder for a section that a later release fills: no sample data. */
export const ComingSoonPage = (props: {
  title: string;
  description: string;
}) => (
  <EmptyState
    missing="content"
    title={`${props.title} is not available yet`}
    description={props.description}
  />
);
