import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { ESP_BASE } from '../../__testUtils__/renderRoutingPage';
import { rootRouteRef } from '../../routes';
import { RoutingPage } from './RoutingPage';

// usePermission caches decisions per module: this file is the reader's view.
jest.setTimeout(30_000);

describe('RoutingPage for a reader without esp.routing.update', () => {
  it('shows the routing, and offers nothing that would change it', async () => {
    const api = new FakeEspApi();
    api.routing
      .seed({
        rules: [{ emailType: 'marketing', provider: 'mailgun', priority: 1 }],
      })
      .seed({
        rules: [{ emailType: 'marketing', provider: 'postmark', priority: 1 }],
      });
    renderInTestApp(<RoutingPage />, {
      apis: [
        [espApiRef, api],
        mockApis.permission({
          authorize: request =>
            request.permission.name === 'esp.routing.update'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        }),
      ],
      mountedRoutes: { [ESP_BASE]: rootRouteRef },
    });
    expect(
      await screen.findByText(
        /You can view the routing, not change it/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    const card = screen.getByRole('group', { name: 'Rule 1 (Marketing)' });
    expect(
      within(card).getByRole('checkbox', {
        name: 'Rule 1 (Marketing) enabled',
      }),
    ).toBeDisabled();
    expect(
      within(card).queryByRole('button', { name: /Delete|Duplicate/ }),
    ).not.toBeInTheDocument();
    expect(screen.getByLabelText('Retry Attempts')).toBeDisabled();
    expect(
      screen.queryByRole('button', { name: '+ Add Routing Rule' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Save' }),
    ).not.toBeInTheDocument();
    await screen.findByRole('table', { name: 'Routing versions' });
    expect(
      screen.queryByRole('button', { name: /Roll back to version/ }),
    ).not.toBeInTheDocument();
    // Trying a message changes nothing: a reader may.
    expect(
      screen.getByRole('button', { name: 'Explain routing' }),
    ).toBeEnabled();
  });
});
