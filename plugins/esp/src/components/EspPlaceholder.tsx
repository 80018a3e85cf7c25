import { Content, EmptyState } from '@backstage/core-components';

export const EspPlaceholder = () => (
  <Content>
    <EmptyState
      missing="content"
      title="ESP Hub is being set up"
      description="Provider configuration pages are not available yet."
    />
  </Content>
);
