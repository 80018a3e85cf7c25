import {
  ANALYTICS_DEFINITIONS,
  ProviderAnalytics,
} from '@internal/plugin-esp-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Tooltip from '@material-ui/core/Tooltip';
import { useState } from 'react';
import {
  COMPARISON_COLUMNS,
  ComparisonColumn,
  SortOrder,
  sortProviders,
  whyNoRate,
} from './comparisonColumns';
import { NO_FIGURE } from './format';

const Cell = (props: { column: ComparisonColumn; row: ProviderAnalytics }) => {
  const { column, row } = props;
  const text = column.text(row);
  const absent = column.rate && column.rate(row) === null;
  if (column.id === 'provider') {
    return (
      <TableCell component="th" scope="row">
        {text}
      </TableCell>
    );
  }
  return (
    <TableCell align="right">
      {absent && text.includes(NO_FIGURE) ? (
        <Tooltip title={whyNoRate(column)}>
          <span>{text}</span>
        </Tooltip>
      ) : (
        text
      )}
    </TableCell>
  );
};

/** Each provider's figures side by side, sortable by every column. */
export const DeliverabilityTable = (props: {
  providers: ProviderAnalytics[];
}) => {
  const [order, setOrder] = useState<SortOrder>({
    by: 'sent',
    direction: 'desc',
  });
  const rows = sortProviders(props.providers, order);
  const sortBy = (by: ComparisonColumn['id']) =>
    setOrder(o =>
      o.by === by
        ? { by, direction: o.direction === 'asc' ? 'desc' : 'asc' }
        : { by, direction: by === 'provider' ? 'asc' : 'desc' },
    );
  return (
    <Table size="small" aria-label="Deliverability comparison">
      <TableHead>
        <TableRow>
          {COMPARISON_COLUMNS.map(column => (
            <TableCell
              key={column.id}
              align={column.id === 'provider' ? 'left' : 'right'}
              sortDirection={order.by === column.id ? order.direction : false}
            >
              <Tooltip
                title={
                  column.definition
                    ? ANALYTICS_DEFINITIONS[column.definition]
                    : ''
                }
              >
                <TableSortLabel
                  active={order.by === column.id}
                  direction={order.by === column.id ? order.direction : 'asc'}
                  onClick={() => sortBy(column.id)}
                >
                  {column.title}
                </TableSortLabel>
              </Tooltip>
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.providerId}>
            {COMPARISON_COLUMNS.map(column => (
              <Cell key={column.id} column={column} row={row} />
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
