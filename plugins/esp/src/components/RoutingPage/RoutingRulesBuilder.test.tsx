import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { moveWithKeyboard } from '../../__testUtils__/dndInJsdom';
import { renderRoutingPage } from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(60_000);

function seeded() {
  const api = new FakeEspApi();
  api.routing.seed({
    rules: [
      { emailType: 'transactional', provider: 'postmark', priority: 1 },
      { emailType: 'marketing', provider: 'mailgun', priority: 2 },
      { emailType: 'cold_outreach', provider: 'smtp', priority: 3 },
    ],
  });
  return api;
}

const cardTitles = () =>
  within(screen.getByRole('list', { name: 'Routing rules' }))
    .getAllByRole('heading', { level: 3 })
    .map(h => h.textContent);

const lastSavedRules = (api: FakeEspApi) =>
  api.saveRouting.mock.calls[api.saveRouting.mock.calls.length - 1][0].rules;

const save = async () => {
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  await screen.findByText(/^Routing saved as version/);
};

describe('RoutingRulesBuilder', () => {
  it('moves a card with the keyboard (Space, arrow, Space) and renumbers the priorities', async () => {
    const api = await renderRoutingPage(seeded());
    expect(cardTitles()).toEqual([
      'Rule 1: Transactional Emails → Postmark',
      'Rule 2: Marketing Emails → Mailgun',
      'Rule 3: Cold Outreach Emails → Built-in SMTP',
    ]);
    const handle = screen.getByRole('button', {
      name: 'Reorder Rule 1 (Transactional)',
    });
    // The handle is focusable: keyboard users reach it with Tab.
    expect(handle).toHaveAttribute('tabindex', '0');
    await moveWithKeyboard(handle, 'down');
    expect(await screen.findByText('Unsaved changes')).toBeInTheDocument();
    expect(cardTitles()).toEqual([
      'Rule 1: Marketing Emails → Mailgun',
      'Rule 2: Transactional Emails → Postmark',
      'Rule 3: Cold Outreach Emails → Built-in SMTP',
    ]);
    await save();
    expect(
      lastSavedRules(api).map((r: any) => [r.priority, r.emailType, r.id]),
    ).toEqual([
      [1, 'marketing', 'rule-2'],
      [2, 'transactional', 'rule-1'],
      [3, 'cold_outreach', 'rule-3'],
    ]);
  });

  it('adds, duplicates and deletes rules, and warns while two enabled rules share a type', async () => {
    const api = await renderRoutingPage(seeded());
    await userEvent.click(
      screen.getByRole('button', { name: 'Duplicate Rule 2 (Marketing)' }),
    );
    expect(cardTitles()).toEqual([
      'Rule 1: Transactional Emails → Postmark',
      'Rule 2: Marketing Emails → Mailgun',
      'Rule 3: Marketing Emails → Mailgun',
      'Rule 4: Cold Outreach Emails → Built-in SMTP',
    ]);
    expect(
      screen.getByText(
        'Rule 2 (Marketing) and Rule 3 (Marketing) all route Marketing emails. Rule priority determines which ESP is used.',
      ),
    ).toBeInTheDocument();

    // Saved as it is, the answer's warning names the rules too.
    await save();
    expect(
      screen.getByText(
        'Rule 2 (Marketing), Rule 3 (Marketing): Rule priority determines which ESP is used.',
      ),
    ).toBeInTheDocument();

    // A disabled duplicate routes nothing: no conflict.
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Rule 3 (Marketing) enabled' }),
    );
    expect(
      screen.queryByText(/Rule priority determines which ESP is used/),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Delete Rule 1 (Transactional)' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: '+ Add Routing Rule' }),
    );
    // The new rule opens for editing at the lowest priority.
    const added = screen.getByRole('group', { name: 'Rule 4 (Transactional)' });
    await userEvent.selectOptions(
      within(added).getByLabelText('Email Type'),
      'Newsletter',
    );
    await save();
    expect(
      lastSavedRules(api).map((r: any) => [
        r.priority,
        r.emailType,
        r.enabled,
        Boolean(r.id),
      ]),
    ).toEqual([
      [1, 'marketing', true, true],
      [2, 'marketing', false, true], // saved above, so it has an id now
      [3, 'cold_outreach', true, true],
      [4, 'newsletter', true, false],
    ]);
  });

  it('builds conditions that combine with AND, and asks for what is missing', async () => {
    const api = await renderRoutingPage(seeded());
    const card = () => screen.getByRole('group', { name: /^Rule 2 \(/ });
    await userEvent.click(
      within(card()).getByRole('button', { name: 'Edit Rule 2 (Marketing)' }),
    );
    await userEvent.click(
      within(card()).getByRole('button', { name: '+ Add condition' }),
    );
    await userEvent.click(
      within(card()).getByRole('button', { name: '+ Add condition' }),
    );
    expect(
      within(card()).getByText(
        'All of these must hold: conditions combine with AND.',
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      within(card()).getByLabelText('Condition 1 value'),
      'Sale',
    );
    await userEvent.selectOptions(
      within(card()).getByLabelText('Condition 2'),
      'Recipient domain is',
    );
    await userEvent.selectOptions(
      within(card()).getByLabelText('Email Type'),
      'Custom',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText(
        'Not saved: correct the fields marked in red first.',
      ),
    ).toBeInTheDocument();
    expect(
      within(card()).getByText('Enter a name for the custom email type'),
    ).toBeInTheDocument();
    expect(
      within(card()).getByText('Enter a value for the condition'),
    ).toBeInTheDocument();
    expect(api.saveRouting).not.toHaveBeenCalled();

    await userEvent.type(
      within(card()).getByLabelText(/^Custom type name/),
      'Deals',
    );
    await userEvent.type(
      within(card()).getByLabelText('Condition 2 value'),
      'example.com',
    );
    expect(
      within(card()).getByText(
        'When Subject contains "Sale" AND Recipient domain is "example.com"',
      ),
    ).toBeInTheDocument();
    await save();
    expect(lastSavedRules(api)[1]).toEqual({
      id: 'rule-2',
      emailType: 'custom',
      customType: 'Deals',
      conditions: [
        { field: 'subject', value: 'Sale' },
        { field: 'recipientDomain', value: 'example.com' },
      ],
      provider: 'mailgun',
      priority: 2,
      enabled: true,
    });
  });
});
