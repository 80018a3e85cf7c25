import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { useLocation } from 'react-router-dom';
import { espApiRef } from '../api';
import { AnalyticsPage } from '../components/AnalyticsPage';
import { FakeEspApi } from './FakeEspApi';
import { FakeSignals } from './renderWebhooks';

export { FakeSignals, captureDownloads } from './renderWebhooks';

/** Shows the router's query string, so a test can read what the page kept in the URL. */
const LocationProbe = () => (
  <output data-testid="location-search">{useLocation().search}</output>
);

/** Renders the analytics page at `url` (e.g. `/?range=7d`) against the fake API. */
export function renderAnalytics(options: {
  api: FakeEspApi;
  signals?: FakeSignals;
  url?: string;
}) {
  const signals = options.signals ?? new FakeSignals();
  return renderInTestApp(
    <>
      <AnalyticsPage />
      <LocationProbe />
    </>,
    {
      apis: [
        [espApiRef, options.api],
        [signalApiRef, signals],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ] as any,
      initialRouteEntries: [options.url ?? '/'],
    },
  );
}
