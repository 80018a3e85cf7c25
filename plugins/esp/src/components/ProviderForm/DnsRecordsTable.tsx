import { CopyTextButton } from '@backstage/core-components';
import type { DnsRecordView } from '@internal/plugin-esp-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { StatusLabel } from '../StatusLabel';

const STATUS: Record<
  DnsRecordView['status'],
  [tone: 'ok' | 'warning' | 'error', label: string]
> = {
  verified: ['ok', 'Verified'],
  pending: ['warning', 'Pending'],
  failed: ['error', 'Not found'],
};

// Short columns never wrap; host and value may be long and break anywhere.
const nowrap = { whiteSpace: 'nowrap' } as const;

/** A host or value, which may be long and breaks anywhere, with its copy button beside it. */
const Copyable = (props: { text: string; label: string }) => (
  <Box display="flex" alignItems="center" style={{ gap: 4 }}>
    <Box flex={1} style={{ wordBreak: 'break-all' }}>
      {props.text}
    </Box>
    <CopyTextButton text={props.text} aria-label={props.label} />
  </Box>
);

/** The DNS records to publish, host and value each with a copy button. */
export const DnsRecordsTable = (props: { records: DnsRecordView[] }) => (
  <Table size="small" aria-label="DNS records">
    <TableHead>
      <TableRow>
        <TableCell style={nowrap}>Purpose</TableCell>
        <TableCell style={nowrap}>Type</TableCell>
        <TableCell>Host</TableCell>
        <TableCell>Value</TableCell>
        <TableCell style={nowrap}>Status</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {props.records.map(r => {
        const [tone, label] = STATUS[r.status];
        return (
          // Two MX records share purpose and host: the value tells them apart.
          <TableRow key={`${r.purpose}|${r.host}|${r.value}`}>
            <TableCell style={nowrap}>{r.purpose}</TableCell>
            <TableCell style={nowrap}>{r.type}</TableCell>
            <TableCell>
              <Copyable text={r.host} label={`Copy ${r.purpose} host`} />
            </TableCell>
            <TableCell style={{ maxWidth: 360 }}>
              <Copyable text={r.value} label={`Copy ${r.purpose} value`} />
            </TableCell>
            <TableCell style={nowrap}>
              <StatusLabel tone={tone}>{label}</StatusLabel>
            </TableCell>
          </TableRow>
        );
      })}
    </TableBody>
  </Table>
);
