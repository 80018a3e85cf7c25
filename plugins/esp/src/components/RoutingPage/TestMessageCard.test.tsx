import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { renderRoutingPage } from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(60_000);

describe('TestMessageCard', () => {
  it('explains the routing of a sample email with the unsaved rules on screen', async () => {
    const api = new FakeEspApi();
    api.routing.seed({
      rules: [{ emailType: 'marketing', provider: 'mailgun', priority: 1 }],
    });
    await renderRoutingPage(api);
    // An unsaved change: a condition on the saved rule.
    const card = screen.getByRole('group', { name: 'Rule 1 (Marketing)' });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Edit Rule 1 (Marketing)' }),
    );
    await userEvent.click(
      within(card).getByRole('button', { name: '+ Add condition' }),
    );
    await userEvent.selectOptions(
      within(card).getByLabelText('Condition 1'),
      'Tag equals',
    );
    await userEvent.type(
      within(card).getByLabelText('Condition 1 value'),
      'vip',
    );

    const form = screen.getByRole('form', { name: 'Test a message' });
    await userEvent.selectOptions(
      within(form).getByLabelText('Test email type'),
      'Marketing',
    );
    await userEvent.type(within(form).getByLabelText('Test subject'), 'Sale');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Explain routing' }),
    );
    expect(
      await within(form).findByText('Add at least one recipient'),
    ).toBeInTheDocument();
    await userEvent.type(
      within(form).getByLabelText(/^Test recipients/),
      'a@example.com',
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Explain routing' }),
    );
    const answer = screen.getByRole('status', { name: 'Routing explanation' });
    // The unsaved condition does not hold: the fallback sends it.
    expect(
      await within(answer).findByText('Sent through Built-in SMTP'),
    ).toBeInTheDocument();
    expect(
      within(answer).getByText('If it fails: Postmark → Mailgun'),
    ).toBeInTheDocument();
    expect(
      within(answer).getByText(
        'Rule 1 (Marketing): Tag equals "vip" does not hold',
      ),
    ).toBeInTheDocument();
    expect(api.explainRouting).toHaveBeenCalledWith({
      message: {
        emailType: 'marketing',
        subject: 'Sale',
        to: ['a@example.com'],
        tags: [],
      },
      config: expect.objectContaining({
        rules: [
          expect.objectContaining({
            conditions: [{ field: 'tag', value: 'vip' }],
          }),
        ],
      }),
    });

    await userEvent.type(within(form).getByLabelText(/^Test tags/), 'vip');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Explain routing' }),
    );
    expect(
      await within(answer).findByText('Sent through Mailgun'),
    ).toBeInTheDocument();
    expect(api.saveRouting).not.toHaveBeenCalled();
  });
});
