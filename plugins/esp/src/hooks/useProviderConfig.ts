import { useApi } from '@backstage/frontend-plugin-api';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ConfigProviderId,
  espApiRef,
  ProviderConfigInputs,
  ProviderConfigViews,
} from '../api';
import type { SaveState } from '../components/ProviderForm/SaveBar';
import { errorMessage } from '../lib/errorMessage';

/** How one provider's page turns its view into a form and back. */
export type ProviderFormSpec<Id extends ConfigProviderId, Form, Errors> = {
  /** The form as a stored configuration fills it in. */
  formFromView: (view: ProviderConfigViews[Id]) => Form;
  /** The request body, or the message to show next to each invalid field. */
  inputFromForm: (
    form: Form,
    view: ProviderConfigViews[Id],
  ) => { input: ProviderConfigInputs[Id] } | { errors: Errors };
  /** What stays of the typed form after a save: typed secrets go, the page shows their masks. */
  keepAfterSave: (form: Form) => Form;
  /** Anything else a save resets on the page (a live key check's verdict). */
  onSaved?: (view: ProviderConfigViews[Id]) => void;
  savedMessage: string;
};

/**
 * The state every provider page shares: the stored view, the typed form, its
 * field errors and the outcome of the last save. A save validates with the
 * shared schema first and sends nothing when a field is invalid; a failed save
 * leaves the form as typed. The outcome belongs to the save that made it: the
 * next edit clears it.
 */
export function useProviderConfig<Id extends ConfigProviderId, Form, Errors>(
  providerId: Id,
  loaded: ProviderConfigViews[Id],
  spec: ProviderFormSpec<Id, Form, Errors>,
) {
  const api = useApi(espApiRef);
  const [view, setView] = useState(loaded);
  const [form, setForm] = useState<Form>(() => spec.formFromView(loaded));
  const [errors, setErrors] = useState<Partial<Errors>>({});
  const [saveState, setSaveState] = useState<SaveState>({ status: 'idle' });
  const specRef = useRef(spec);
  specRef.current = spec;

  // A reload (after a connection test or a domain change) brings a newer view;
  // what the admin typed stays.
  useEffect(() => setView(loaded), [loaded]);

  const update = useCallback((patch: Partial<Form>) => {
    setForm(f => ({ ...f, ...patch }));
    setSaveState(s => (s.status === 'saving' ? s : { status: 'idle' }));
  }, []);

  /** Checks one field as the admin leaves it, with the rules Save applies. */
  const checkField = useCallback(
    (field: keyof Errors) => {
      const result = specRef.current.inputFromForm(form, view);
      const message = 'errors' in result ? result.errors[field] : undefined;
      setErrors(e => {
        const next = { ...e };
        if (message === undefined) delete next[field];
        else next[field] = message;
        return next;
      });
    },
    [form, view],
  );

  const save = useCallback(async () => {
    const current = specRef.current;
    const result = current.inputFromForm(form, view);
    if ('errors' in result) {
      setErrors(result.errors);
      setSaveState({
        status: 'invalid',
        message: 'Fix the highlighted fields; nothing was saved.',
      });
      return;
    }
    setErrors({});
    setSaveState({ status: 'saving' });
    try {
      const saved = await api.saveConfig(providerId, result.input);
      setView(saved);
      setForm(f => current.keepAfterSave(f));
      current.onSaved?.(saved);
      setSaveState({
        status: 'saved',
        message: current.savedMessage,
        ...(saved.warnings?.length ? { warnings: saved.warnings } : {}),
      });
    } catch (e) {
      setSaveState({ status: 'failed', message: errorMessage(e) });
    }
  }, [api, providerId, form, view]);

  return { view, form, update, errors, checkField, saveState, save };
}
