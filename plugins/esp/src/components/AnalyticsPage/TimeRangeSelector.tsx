import {
  ANALYTICS_RANGES,
  AnalyticsQuery,
  AnalyticsRange,
} from '@internal/plugin-esp-common';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import { useState } from 'react';
import { CustomRangeDialog } from './CustomRangeDialog';
import { RANGE_LABELS } from './analyticsRange';

/**
 * Last 7/30/90 Days and Custom Range. The shown range's days seed the
 * dialog, so a custom range starts from what the admin is looking at.
 */
export const TimeRangeSelector = (props: {
  value: AnalyticsQuery;
  shown?: { from: string; to: string };
  onChange: (query: AnalyticsQuery) => void;
}) => {
  const { value, shown, onChange } = props;
  const [dialogOpen, setDialogOpen] = useState(false);
  const custom = !value.range;
  const initial = {
    from: value.from ?? shown?.from ?? '',
    to: value.to ?? shown?.to ?? '',
  };
  return (
    <>
      <ButtonGroup color="primary" aria-label="Time range">
        {ANALYTICS_RANGES.map((range: AnalyticsRange) => (
          <Button
            key={range}
            aria-pressed={value.range === range}
            variant={value.range === range ? 'contained' : 'outlined'}
            onClick={() => onChange({ range })}
          >
            {RANGE_LABELS[range]}
          </Button>
        ))}
        <Button
          aria-pressed={custom}
          variant={custom ? 'contained' : 'outlined'}
          onClick={() => setDialogOpen(true)}
        >
          Custom Range
        </Button>
      </ButtonGroup>
      <CustomRangeDialog
        open={dialogOpen}
        initial={initial}
        onCancel={() => setDialogOpen(false)}
        onApply={range => {
          setDialogOpen(false);
          onChange(range);
        }}
      />
    </>
  );
};
