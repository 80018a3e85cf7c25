import TextField, { TextFieldProps } from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';

/**
 * A select as a native `<select>`: found by its label (role combobox) in
 * tests and in the browser, and keyboard-friendly without a popup.
 */
export function SelectField<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  disabled?: boolean;
  error?: string;
  helperText?: string;
  fullWidth?: boolean;
  margin?: TextFieldProps['margin'];
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={String(props.value)}
      onChange={e => {
        const option = props.options.find(
          o => String(o.value) === e.target.value,
        );
        if (option) props.onChange(option.value);
      }}
      SelectProps={{ native: true }}
      disabled={props.disabled}
      error={Boolean(props.error)}
      helperText={props.error ?? props.helperText}
      fullWidth={props.fullWidth}
      margin={props.margin ?? 'dense'}
      variant="outlined"
    >
      {props.options.map(o => (
        <option key={String(o.value)} value={String(o.value)}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

const format = (value: number | null) =>
  value === null || !Number.isFinite(value) ? '' : String(value);

const parse = (text: string, emptyAs: number | null) =>
  text.trim() === '' ? emptyAs : Number(text);

const same = (a: number | null, b: number | null) =>
  a === b || (Number.isNaN(a) && Number.isNaN(b));

/**
 * A number input that keeps what is typed ("0." on the way to "0.00125")
 * while it reports the number it reads. Left empty it reports `emptyAs`: NaN
 * for a required field (its check says what to enter), null where empty
 * means "none".
 */
export function NumberField(props: {
  id: string;
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  emptyAs?: number | null;
  disabled?: boolean;
  error?: string;
  helperText?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  fullWidth?: boolean;
}) {
  const emptyAs = props.emptyAs === undefined ? NaN : props.emptyAs;
  const [text, setText] = useState(format(props.value));
  useEffect(() => {
    setText(current =>
      same(parse(current, emptyAs), props.value)
        ? current
        : format(props.value),
    );
  }, [props.value, emptyAs]);
  return (
    <TextField
      id={props.id}
      type="number"
      label={props.label}
      value={text}
      onChange={e => {
        setText(e.target.value);
        props.onChange(parse(e.target.value, emptyAs));
      }}
      inputProps={{ min: props.min, max: props.max, step: props.step }}
      disabled={props.disabled}
      error={Boolean(props.error)}
      helperText={props.error ?? props.helperText}
      fullWidth={props.fullWidth}
      margin="dense"
      variant="outlined"
    />
  );
}
