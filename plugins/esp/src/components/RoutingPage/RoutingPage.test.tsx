import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { providerSummary } from '../../__testUtils__/providerSummary';
import {
  renderRouting,
  renderRoutingPage,
} from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(30_000);

const save = () =>
  userEvent.click(screen.getByRole('button', { name: 'Save' }));

describe('RoutingPage', () => {
  it('starts empty, with the fallback drawn and nothing unsaved', async () => {
    await renderRoutingPage();
    expect(screen.getByText('No routing rules yet')).toBeInTheDocument();
    const diagram = screen.getByRole('list', { name: 'Routing diagram' });
    expect(
      within(diagram).getByLabelText('Default (Fallback) → Built-in SMTP'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Unsaved changes')).not.toBeInTheDocument();
  });

  it('flags an edit as unsaved, saves it as a new version and redraws the diagram', async () => {
    const api = new FakeEspApi();
    api.listProviders.mockResolvedValue([
      providerSummary({ providerId: 'postmark', configured: true }),
      providerSummary({ providerId: 'mailgun', displayName: 'Mailgun' }),
    ]);
    await renderRoutingPage(api);
    await userEvent.click(
      screen.getByRole('button', { name: '+ Add Routing Rule' }),
    );
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    const card = screen.getByRole('group', { name: 'Rule 1 (Transactional)' });
    // A provider that cannot send says so where it can be chosen.
    expect(
      within(card).getByRole('option', { name: 'Mailgun (not configured)' }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      within(card).getByLabelText('Route To'),
      'Postmark',
    );
    await save();
    expect(
      await screen.findByText('Routing saved as version 1.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Unsaved changes')).not.toBeInTheDocument();
    expect(api.saveRouting).toHaveBeenCalledWith(
      expect.objectContaining({
        rules: [
          {
            emailType: 'transactional',
            conditions: [],
            provider: 'postmark',
            priority: 1,
            enabled: true,
          },
        ],
      }),
      0,
    );
    expect(
      screen.getByLabelText('Transactional → Postmark'),
    ).toBeInTheDocument();
  });

  it("shows a 400 at the rule it names, and the backend's own words", async () => {
    const api = new FakeEspApi();
    api.routing.seed({
      rules: [
        { emailType: 'transactional', provider: 'postmark', priority: 1 },
        { emailType: 'marketing', provider: 'mailgun', priority: 2 },
      ],
    });
    api.routing.failNextSave = {
      status: 400,
      message: 'Rule 2 (Marketing): Mailgun is not configured',
    };
    await renderRoutingPage(api);
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Rule 1 (Transactional) enabled' }),
    );
    await save();
    const card = await screen.findByRole('group', {
      name: 'Rule 2 (Marketing)',
    });
    expect(within(card).getByRole('alert')).toHaveTextContent(
      'Rule 2 (Marketing): Mailgun is not configured',
    );
    // The card opens so the field can be fixed; the edit is still there.
    expect(within(card).getByLabelText('Route To')).toBeInTheDocument();
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();

    // A message naming no rule goes to the top of the page.
    api.routing.failNextSave = {
      status: 400,
      message: 'cost.providers: Unknown provider',
    };
    await save();
    expect(
      await screen.findAllByText('cost.providers: Unknown provider'),
    ).toHaveLength(2); // at the top and next to Save
  });

  it('says when someone else saved meanwhile, and reloads their version', async () => {
    const api = new FakeEspApi();
    api.routing.seed({
      rules: [{ emailType: 'marketing', provider: 'mailgun', priority: 1 }],
    });
    await renderRoutingPage(api);
    // Another admin saves version 2 while this page still shows version 1.
    await api.routing.save(
      {
        ...api.routing.current(),
        rules: [{ emailType: 'marketing', provider: 'smtp', priority: 1 }],
      },
      1,
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Rule 1 (Marketing) enabled' }),
    );
    await save();
    expect(
      await screen.findByText('Not saved: the routing was changed elsewhere.'),
    ).toBeInTheDocument();
    expect(api.saveRouting).toHaveBeenLastCalledWith(expect.anything(), 1);
    const alert = screen
      .getAllByRole('alert')
      .find(a => a.textContent?.includes('changed elsewhere'))!;
    expect(alert).toHaveTextContent(
      /The routing was changed by user:default\/admin at .*; reload to see it/,
    );
    await userEvent.click(
      within(alert).getByRole('button', { name: 'Reload' }),
    );
    expect(
      await screen.findByLabelText('Marketing → Built-in SMTP'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Unsaved changes')).not.toBeInTheDocument();
    expect(screen.queryByText(/changed elsewhere/)).not.toBeInTheDocument();
  });

  it('offers a retry when the routing cannot be loaded', async () => {
    const api = new FakeEspApi();
    api.getRouting.mockRejectedValueOnce(new Error('Backend unavailable'));
    renderRouting(api);
    expect(
      await screen.findByText(
        'Error: Could not load the routing',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No routing rules yet')).toBeInTheDocument();
  });
});
