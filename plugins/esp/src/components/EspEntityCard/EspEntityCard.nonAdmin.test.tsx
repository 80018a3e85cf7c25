import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { renderCard } from '../../__testUtils__/entityCard';

const WAIT = { timeout: 10_000 };
jest.setTimeout(30_000);

describe('EspEntityCard for a user who is not an ESP admin', () => {
  const asked: string[] = [];

  it('shows the status and no settings link', async () => {
    const api = renderCard({ administer: AuthorizeResult.DENY, asked });
    expect(
      await screen.findByLabelText('Status: Active', {}, WAIT),
    ).toBeInTheDocument();
    expect(screen.getByText('mail.example.com')).toBeInTheDocument();
    expect(screen.getByText('Transactional')).toBeInTheDocument();
    // The settings link waits for the permission; once asked, it stays away.
    await screen.findByText('Enabled');
    await new Promise(r => setTimeout(r, 200));
    expect(asked).toContain('esp.administer');
    expect(
      screen.queryByRole('link', { name: /settings in ESP Hub/ }),
    ).not.toBeInTheDocument();
    // The card reads the status summary only, never an admin route.
    expect(api.getConfig).not.toHaveBeenCalled();
    expect(api.listProviders).not.toHaveBeenCalled();
  });
});
