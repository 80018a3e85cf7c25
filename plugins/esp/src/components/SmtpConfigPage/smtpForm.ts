import {
  SmtpConfigInput,
  smtpConfigInputSchema,
  SmtpConfigView,
  SmtpTlsMode,
} from '@internal/plugin-esp-common';

export type SmtpForm = {
  host: string;
  port: string;
  tls: SmtpTlsMode;
  username: string;
  password: string;
  removePassword: boolean;
  defaultSender: string;
  timeoutSeconds: string;
};

export type SmtpFieldErrors = Partial<Record<keyof SmtpForm, string>>;

export function smtpFormFromView(view: SmtpConfigView): SmtpForm {
  return {
    host: view.host ?? '',
    port: String(view.port),
    tls: view.tls,
    username: view.username ?? '',
    password: '',
    removePassword: false,
    defaultSender: view.defaultSender ?? '',
    timeoutSeconds: String(view.timeoutSeconds),
  };
}

const toNumber = (value: string) => (value.trim() === '' ? NaN : Number(value));

/** The request body, or a message per invalid field. An empty password keeps the stored one. */
export function smtpInputFromForm(
  form: SmtpForm,
): { input: SmtpConfigInput } | { errors: SmtpFieldErrors } {
  const body: Record<string, unknown> = {
    host: form.host,
    port: toNumber(form.port),
    tls: form.tls,
    username: form.username.trim() || null,
    defaultSender: form.defaultSender,
    timeoutSeconds: toNumber(form.timeoutSeconds),
  };
  if (form.password) body.password = form.password;
  else if (form.removePassword) body.password = null;

  const parsed = smtpConfigInputSchema.safeParse(body);
  if (parsed.success) return { input: parsed.data };
  const errors: SmtpFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof SmtpFieldErrors;
    errors[field] ??= issue.message;
  }
  return { errors };
}
