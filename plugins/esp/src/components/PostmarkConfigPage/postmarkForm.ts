import {
  PostmarkConfigInput,
  PostmarkConfigView,
  PostmarkTracking,
  postmarkConfigInputSchema,
} from '@internal/plugin-esp-common';
import type { AdvancedForm } from './AdvancedSettings';

/** What the admin typed, kept as typed until it is valid. */
export type PostmarkForm = {
  serverToken: string;
  accountToken: string;
  removeAccountToken: boolean;
  defaultSender: string;
  tracking: PostmarkTracking;
  advanced: AdvancedForm;
};

export type FieldErrors = Partial<
  Record<
    'serverToken' | 'accountToken' | 'defaultSender' | keyof AdvancedForm,
    string
  >
>;

export function formFromView(view: PostmarkConfigView): PostmarkForm {
  return {
    serverToken: '',
    accountToken: '',
    removeAccountToken: false,
    defaultSender: view.defaultSender ?? '',
    tracking: { ...view.tracking },
    advanced: {
      messageStream: view.advanced.messageStream,
      batchSize: String(view.advanced.batchSize),
      retryAttempts: String(view.advanced.retryAttempts),
      timeoutSeconds: String(view.advanced.timeoutSeconds),
    },
  };
}

const toNumber = (value: string) => (value.trim() === '' ? NaN : Number(value));

/**
 * The request body, or the errors to show next to each field. Validates with the
 * same schema as the backend. An empty token field keeps the stored token.
 */
export function inputFromForm(
  form: PostmarkForm,
  view: PostmarkConfigView,
): { input: PostmarkConfigInput } | { errors: FieldErrors } {
  const body: Record<string, unknown> = {
    defaultSender: form.defaultSender,
    tracking: form.tracking,
    advanced: {
      messageStream: form.advanced.messageStream,
      batchSize: toNumber(form.advanced.batchSize),
      retryAttempts: toNumber(form.advanced.retryAttempts),
      timeoutSeconds: toNumber(form.advanced.timeoutSeconds),
    },
  };
  if (form.serverToken.trim()) body.serverToken = form.serverToken;
  if (form.accountToken.trim()) body.accountToken = form.accountToken;
  else if (form.removeAccountToken) body.accountToken = null;

  const errors: FieldErrors = {};
  if (!view.serverToken.set && !form.serverToken.trim()) {
    errors.serverToken = 'API token is required';
  }
  const parsed = postmarkConfigInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[issue.path.length - 1] as keyof FieldErrors;
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) {
    return { errors };
  }
  return { input: parsed.data };
}
