import {
  screen,
  waitForElementToBeRemoved,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import { renderRoutingPage } from '../../__testUtils__/renderRoutingPage';

jest.setTimeout(60_000);

const rows = () =>
  within(screen.getByRole('table', { name: 'Routing versions' }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

describe('VersionHistory', () => {
  it('rolls back to an old version after asking, and the page shows it', async () => {
    const api = new FakeEspApi();
    api.routing
      .seed({
        rules: [{ emailType: 'marketing', provider: 'mailgun', priority: 1 }],
      })
      .seed({
        rules: [{ emailType: 'marketing', provider: 'postmark', priority: 1 }],
      });
    await renderRoutingPage(api);
    await screen.findByRole('table', { name: 'Routing versions' });
    expect(rows().map(r => [r[0], r[1], r[3], r[4]])).toEqual([
      ['2', 'user:default/other', 'Saved the routing', 'Current'],
      ['1', 'user:default/other', 'Saved the routing', 'Rollback'],
    ]);
    expect(screen.getByLabelText('Marketing → Postmark')).toBeInTheDocument();

    // An unsaved edit, which the dialog says will be discarded.
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Rule 1 (Marketing) enabled' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Roll back to version 1' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Roll back to version 1?');
    expect(dialog).toHaveTextContent(
      'Your unsaved changes on this page are discarded.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitForElementToBeRemoved(dialog);
    expect(api.rollbackRouting).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Roll back to version 1' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Roll back',
      }),
    );
    expect(
      await screen.findByLabelText('Marketing → Mailgun'),
    ).toBeInTheDocument();
    expect(api.rollbackRouting).toHaveBeenCalledWith(1);
    expect(screen.queryByText('Unsaved changes')).not.toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'Rule 1 (Marketing) enabled' }),
    ).toBeChecked();
    await screen.findByText('Rolled back to version 1');
    expect(rows()[0]).toEqual([
      '3',
      'user:default/admin',
      expect.any(String),
      'Rolled back to version 1',
      'Current',
    ]);
  });
});
