import { useCallback, useState } from 'react';
import { errorMessage } from '../lib/errorMessage';
import type { SaveState } from '../components/ProviderForm/SaveBar';

/**
 * The Save flow every provider page shares: validate the typed form with the
 * shared schema, show field errors without sending anything, otherwise submit
 * and report the outcome. A failed save leaves the form as typed.
 */
export function useConfigSave<Input, Errors extends object, View>(options: {
  build: () => { input: Input } | { errors: Errors };
  submit: (input: Input) => Promise<View>;
  onSaved: (view: View) => void;
  savedMessage: string;
}) {
  const [errors, setErrors] = useState<Partial<Errors>>({});
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const { build, submit, onSaved, savedMessage } = options;

  const save = useCallback(async () => {
    const result = build();
    if ('errors' in result) {
      setErrors(result.errors);
      setState({
        status: 'invalid',
        message: 'Fix the highlighted fields; nothing was saved.',
      });
      return;
    }
    setErrors({});
    setState({ status: 'saving' });
    try {
      onSaved(await submit(result.input));
      setState({ status: 'saved', message: savedMessage });
    } catch (e) {
      setState({ status: 'failed', message: errorMessage(e) });
    }
  }, [build, submit, onSaved, savedMessage]);

  /** Typing after a save clears the "saved" message, not an error. */
  const touched = useCallback(
    () => setState(s => (s.status === 'saved' ? { status: 'idle' } : s)),
    [],
  );

  return { errors, state, save, touched };
}
