import { CopyTextButton } from '@backstage/core-components';
import type { DnsRecordView } from '@internal/plugin-esp-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { StatusLabel } from '../StatusLabel';

/** The DNS records to publish, each value with a copy button. */
export const DnsRecordsTable = (props: { records: DnsRecordView[] }) => (
  <Table size="small" aria-label="DNS records">
    <TableHead>
      <TableRow>
        <TableCell>Purpose</TableCell>
        <TableCell>Type</TableCell>
        <TableCell>Host</TableCell>
        <TableCell>Value</TableCell>
        <TableCell>Status</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {props.records.map(r => (
        <TableRow key={`${r.purpose}-${r.host}`}>
          <TableCell>{r.purpose}</TableCell>
          <TableCell>{r.type}</TableCell>
          <TableCell style={{ wordBreak: 'break-all' }}>
            {r.host}{' '}
            <CopyTextButton
              text={r.host}
              aria-label={`Copy ${r.purpose} host`}
            />
          </TableCell>
          <TableCell style={{ wordBreak: 'break-all', maxWidth: 360 }}>
            {r.value}{' '}
            <CopyTextButton
              text={r.value}
              aria-label={`Copy ${r.purpose} value`}
            />
          </TableCell>
          <TableCell>
            {r.verified ? (
              <StatusLabel tone="ok">Verified</StatusLabel>
            ) : (
              <StatusLabel tone="warning">Pending</StatusLabel>
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
