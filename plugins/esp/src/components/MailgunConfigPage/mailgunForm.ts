import {
  MailgunConfigInput,
  mailgunConfigInputSchema,
  MailgunConfigView,
  MailgunRegion,
  MailgunTracking,
} from '@internal/plugin-esp-common';

/** What the admin typed; numbers stay strings until they are valid. */
export type MailgunForm = {
  apiKey: string;
  domain: string;
  region: MailgunRegion;
  tracking: MailgunTracking;
  advanced: {
    tagPrefix: string;
    batchSize: string;
    retryAttempts: string;
    timeoutSeconds: string;
    testMode: boolean;
  };
};

export type MailgunFieldErrors = Partial<
  Record<
    | 'apiKey'
    | 'domain'
    | 'region'
    | 'tagPrefix'
    | 'batchSize'
    | 'retryAttempts'
    | 'timeoutSeconds',
    string
  >
>;

export function mailgunFormFromView(view: MailgunConfigView): MailgunForm {
  return {
    apiKey: '',
    domain: view.domain ?? '',
    region: view.region,
    tracking: { ...view.tracking },
    advanced: {
      tagPrefix: view.advanced.tagPrefix,
      batchSize: String(view.advanced.batchSize),
      retryAttempts: String(view.advanced.retryAttempts),
      timeoutSeconds: String(view.advanced.timeoutSeconds),
      testMode: view.advanced.testMode,
    },
  };
}

const toNumber = (value: string) => (value.trim() === '' ? NaN : Number(value));

/** The request body, or the message to show next to each invalid field. */
export function mailgunInputFromForm(
  form: MailgunForm,
  view: MailgunConfigView,
): { input: MailgunConfigInput } | { errors: MailgunFieldErrors } {
  const body: Record<string, unknown> = {
    domain: form.domain,
    region: form.region,
    tracking: form.tracking,
    advanced: {
      tagPrefix: form.advanced.tagPrefix,
      batchSize: toNumber(form.advanced.batchSize),
      retryAttempts: toNumber(form.advanced.retryAttempts),
      timeoutSeconds: toNumber(form.advanced.timeoutSeconds),
      testMode: form.advanced.testMode,
    },
  };
  if (form.apiKey.trim()) body.apiKey = form.apiKey;

  const errors: MailgunFieldErrors = {};
  if (!view.apiKey.set && !form.apiKey.trim()) {
    errors.apiKey = 'API key is required';
  }
  const parsed = mailgunConfigInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[
        issue.path.length - 1
      ] as keyof MailgunFieldErrors;
      errors[field] ??= issue.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  return { input: parsed.data };
}
