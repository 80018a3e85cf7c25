import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { espApiRef } from '../../api';
import { FakeEspApi } from '../../__testUtils__/FakeEspApi';
import {
  estimateAddressCount,
  estimateCostUsd,
  ListValidationDialog,
  unusableFileReason,
} from './ListValidationDialog';

jest.setTimeout(30_000);

/** Opens the dialog and uploads `csv` as leads.csv. */
async function openWithUpload(api: FakeEspApi, csv: string | Uint8Array) {
  renderInTestApp(
    <ListValidationDialog providerId="mailgun" open onClose={() => {}} />,
    {
      apis: [[espApiRef, api], mockApis.permission()],
    },
  );
  const input = await screen.findByLabelText(
    'CSV file',
    {},
    { timeout: 10_000 },
  );
  await userEvent.upload(
    input,
    new File([csv], 'leads.csv', { type: 'text/csv' }),
  );
}

describe('ListValidationDialog', () => {
  it('estimates the cost before starting', () => {
    expect(estimateAddressCount('email\na@x.io\n\nb@x.io\n')).toBe(2);
    expect(estimateAddressCount('a@x.io\nb@x.io')).toBe(2);
    // Repeats are checked and paid for once.
    expect(estimateAddressCount('email\na@x.io\nA@x.io \nb@x.io\na@x.io')).toBe(
      2,
    );
    expect(estimateCostUsd(2500)).toBe('1.25');
    expect(estimateCostUsd(1_000_000)).toBe('500.00');
  });

  it('uploads a CSV, shows the estimate, follows the progress and shows the results', async () => {
    const api = new FakeEspApi();
    const csv =
      'email\nada@example.com\ninvalid@example.com\nbob@example.com\n';
    await openWithUpload(api, csv);
    expect(await screen.findByTestId('validation-estimate')).toHaveTextContent(
      'leads.csv: about 3 addresses, estimated cost $0.00.',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Start validation' }),
    );
    expect(api.startAddressValidation).toHaveBeenCalledWith('mailgun', csv);
    await waitFor(
      () =>
        expect(screen.getByTestId('validation-counts')).toHaveTextContent(
          '3 of 3 checked — valid 2, invalid 1, risky 0',
        ),
      { timeout: 10_000 },
    );
    expect(
      await screen.findByRole('table', { name: 'Validation results' }),
    ).toHaveTextContent('invalid@example.com');
    expect(
      screen.getByRole('button', { name: 'Download results (CSV)' }),
    ).toBeInTheDocument();
  });

  it('keeps following the progress when a poll fails, as during a backend restart', async () => {
    const api = new FakeEspApi();
    await openWithUpload(api, 'ada@example.com\nbob@example.com\n');
    api.getAddressValidation.mockRejectedValueOnce(
      new TypeError('Failed to fetch'),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Start validation' }),
    );
    expect(
      await screen.findByText(
        /^Lost contact with the portal \(.*Failed to fetch\); the validation goes on, retrying…$/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    await waitFor(
      () =>
        expect(screen.getByTestId('validation-counts')).toHaveTextContent(
          '2 of 2 checked — valid 2, invalid 0, risky 0',
        ),
      { timeout: 15_000 },
    );
    expect(screen.queryByText(/Lost contact/)).not.toBeInTheDocument();
  });

  it('says why Start is disabled for an empty, a binary or an address-less file', async () => {
    expect(unusableFileReason('a@x.io\n')).toBeUndefined();
    expect(unusableFileReason('email\n\n')).toBe(
      'The file holds no addresses.',
    );
    const api = new FakeEspApi();
    await openWithUpload(api, '');
    expect(await screen.findByTestId('validation-unusable')).toHaveTextContent(
      'leads.csv: The file is empty. Choose another file to start a validation.',
    );
    expect(
      screen.getByRole('button', { name: 'Start validation' }),
    ).toBeDisabled();

    // A PNG renamed .csv: its bytes read as text hold NULs and invalid UTF-8.
    await userEvent.upload(
      screen.getByLabelText('CSV file'),
      new File(
        [
          new Uint8Array([
            0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0,
          ]),
        ],
        'photo.csv',
        { type: 'text/csv' },
      ),
    );
    expect(
      await screen.findByText(/^photo\.csv: This is not a text CSV file/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Start validation' }),
    ).toBeDisabled();
    expect(api.startAddressValidation).not.toHaveBeenCalled();
  });

  it('shows how many duplicates the backend left out', async () => {
    const api = new FakeEspApi();
    const start = api.startAddressValidation.getMockImplementation()!;
    api.startAddressValidation.mockImplementation(async id => ({
      ...(await start(id, 'ada@example.com\n')),
      duplicates: 2,
    }));
    api.getAddressValidation.mockImplementation(async () => ({
      ...api.validation!,
      status: 'done',
      processed: 1,
      counts: { valid: 1, invalid: 0, risky: 0 },
      duplicates: 2,
    }));
    await openWithUpload(
      api,
      'ada@example.com\nADA@example.com\n ada@example.com\n',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Start validation' }),
    );
    await waitFor(
      () =>
        expect(screen.getByTestId('validation-counts')).toHaveTextContent(
          '1 of 1 checked — valid 1, invalid 0, risky 0 — 2 duplicate addresses left out (checked once)',
        ),
      { timeout: 10_000 },
    );
  });
});
