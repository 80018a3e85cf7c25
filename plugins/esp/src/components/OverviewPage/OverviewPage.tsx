import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import type { ProviderStatus } from '@internal/plugin-esp-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { Link } from 'react-router-dom';
import { useProviders } from '../../hooks/useProviders';
import { relativeTime } from '../../lib/relativeTime';
import { rootRouteRef } from '../../routes';
import { StatusLabel, Tone } from '../StatusLabel';

const STATUS: Record<ProviderStatus, { tone: Tone; label: string }> = {
  active: { tone: 'ok', label: 'Active' },
  configured: { tone: 'pending', label: 'Configured' },
  error: { tone: 'error', label: 'Error' },
  not_configured: { tone: 'neutral', label: 'Not configured' },
};

/**
 * The providers and their real status. Provider cards, quick stats and the
 * routing summary arrive with the overview release; nothing here is sample data.
 */
export const OverviewPage = () => {
  const base = useRouteRef(rootRouteRef)?.() ?? '';
  const { value, loading, error } = useProviders();
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} title="Could not load the providers" />;

  return (
    <InfoCard title="Email service providers">
      <Table size="small" aria-label="Providers">
        <TableHead>
          <TableRow>
            <TableCell>Provider</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Last tested</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {(value ?? []).map(p => (
            <TableRow key={p.providerId}>
              <TableCell>{p.displayName}</TableCell>
              <TableCell>
                {p.comingSoon ? (
                  <StatusLabel tone="neutral">Coming soon</StatusLabel>
                ) : (
                  <StatusLabel tone={STATUS[p.status].tone}>
                    {STATUS[p.status].label}
                  </StatusLabel>
                )}
              </TableCell>
              <TableCell>
                {p.comingSoon ? '—' : relativeTime(p.connection.lastTestedAt)}
              </TableCell>
              <TableCell align="right">
                {!p.comingSoon && (
                  <Link to={`${base}/${p.providerId}`}>
                    {p.configured ? 'View settings' : 'Configure'}
                  </Link>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
};
