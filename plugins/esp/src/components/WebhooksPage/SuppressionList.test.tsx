import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeEspApi, responseError } from '../../__testUtils__/FakeEspApi';
import {
  captureDownloads,
  renderWebhooks,
} from '../../__testUtils__/renderWebhooks';
import { suppression } from '../../__testUtils__/webhookFixtures';
import { SuppressionList } from './SuppressionList';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

const table = () =>
  screen.findByRole('table', { name: 'Suppression list' }, WAIT);

describe('SuppressionList', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lists entries with their provenance, searches, exports, adds and removes with confirmation', async () => {
    const user = userEvent.setup();
    const files = captureDownloads();
    const api = new FakeEspApi();
    api.suppressions = [
      suppression('gone@example.com'),
      suppression('angry@example.com', {
        source: 'complaint',
        provider: 'mailgun',
        reason: 'Spam complaint',
      }),
    ];
    renderWebhooks(<SuppressionList />, { api });
    const rows = within(await table()).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('gone@example.com');
    expect(rows[1]).toHaveTextContent('Hard bounce: user unknown');
    expect(rows[1]).toHaveTextContent('Postmark');
    expect(rows[2]).toHaveTextContent('Spam complaint');
    expect(rows[2]).toHaveTextContent('Mailgun');

    await user.type(screen.getByLabelText('Search addresses'), 'angry');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(api.listSuppressions).toHaveBeenLastCalledWith({
        q: 'angry',
        limit: 50,
      }),
    );
    await waitFor(async () =>
      expect(within(await table()).getAllByRole('row')).toHaveLength(2),
    );
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(files).toHaveLength(1));
    expect(api.exportSuppressionsCsv).toHaveBeenCalledWith({ q: 'angry' });
    expect(files[0].name).toMatch(/^suppressions-.*\.csv$/);

    await user.clear(screen.getByLabelText('Search addresses'));
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await user.type(screen.getByLabelText('Address'), 'Ada@Example.com');
    await user.type(screen.getByLabelText('Reason'), 'Asked by phone');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() =>
      expect(api.addSuppression).toHaveBeenCalledWith({
        address: 'Ada@Example.com',
        reason: 'Asked by phone',
      }),
    );
    expect(
      await screen.findByText('ada@example.com is suppressed.'),
    ).toBeInTheDocument();
    const added = await screen.findByRole('cell', { name: 'ada@example.com' });
    expect(added.closest('tr')).toHaveTextContent('Added by hand');

    await user.click(
      screen.getByRole('button', { name: 'Remove gone@example.com' }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: 'Remove gone@example.com from the suppression list?',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(api.removeSuppression).toHaveBeenCalledWith('gone@example.com'),
    );
    expect(
      await screen.findByText('gone@example.com was removed from the list.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('cell', { name: 'gone@example.com' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('shows a refused addition, pages with Load more, and a failed load with Retry', async () => {
    const user = userEvent.setup();
    const api = new FakeEspApi();
    api.suppressions = Array.from({ length: 60 }, (_, i) =>
      suppression(`a${i}@example.com`),
    );
    api.listSuppressions.mockRejectedValueOnce(
      await responseError(500, 'The database is away'),
    );
    renderWebhooks(<SuppressionList />, { api });
    expect(
      await screen.findByText('The database is away', {}, WAIT),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(within(await table()).getAllByRole('row')).toHaveLength(51);
    await user.click(
      screen.getByRole('button', { name: 'Load more (50 of 60)' }),
    );
    await waitFor(async () =>
      expect(within(await table()).getAllByRole('row')).toHaveLength(61),
    );
    expect(api.listSuppressions).toHaveBeenLastCalledWith({
      limit: 50,
      offset: 50,
    });

    await user.type(screen.getByLabelText('Address'), 'not-an-address');
    await user.type(screen.getByLabelText('Reason'), 'x');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Enter an email address',
    );
  });

  it('says what to do when the list is empty', async () => {
    const api = new FakeEspApi();
    renderWebhooks(<SuppressionList />, { api });
    expect(
      await screen.findByText(/No suppressed addresses\./, {}, WAIT),
    ).toBeInTheDocument();
  });
});
