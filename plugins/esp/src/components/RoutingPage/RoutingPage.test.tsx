import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { renderRoutingPage } from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(30_000);

const save = () => userEvent.click(screen.getByRole('button', { name: 'Save' }));

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
    const api = await renderRoutingPage();
    await userEvent.click(
      screen.getByRole('button', { name: '+ Add Routing Rule' }),
    );
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    const card = screen.getByRole('group', { name: 'Rule 1 (Transactional)' });
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
});
