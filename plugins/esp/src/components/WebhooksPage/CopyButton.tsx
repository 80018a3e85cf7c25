import Button from '@material-ui/core/Button';
import FileCopyOutlinedIcon from '@material-ui/icons/FileCopyOutlined';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/errorMessage';

/**
 * Copies a text to the clipboard (the async Clipboard API; the text may come
 * from a call, such as Postmark's revealed URL) and says whether it worked.
 */
export const CopyButton = (props: {
  /** What to copy, or how to get it. */
  text: string | (() => Promise<string>);
  label: string;
  /** The accessible name, when the visible label is not specific enough. */
  ariaLabel?: string;
  disabled?: boolean;
}) => {
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'copied' } | { kind: 'failed'; message: string }
  >({ kind: 'idle' });
  useEffect(() => {
    if (state.kind !== 'copied') return undefined;
    const timer = setTimeout(() => setState({ kind: 'idle' }), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      const text =
        typeof props.text === 'string' ? props.text : await props.text();
      await navigator.clipboard.writeText(text);
      setState({ kind: 'copied' });
    } catch (e) {
      setState({ kind: 'failed', message: errorMessage(e) });
    }
  };

  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<FileCopyOutlinedIcon />}
        onClick={copy}
        disabled={props.disabled}
        aria-label={props.ariaLabel}
      >
        {props.label}
      </Button>
      <span role="status" style={{ marginLeft: 8 }}>
        {state.kind === 'copied' && 'Copied'}
        {state.kind === 'failed' && `Could not copy: ${state.message}`}
      </span>
    </>
  );
};
