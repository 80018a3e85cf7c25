import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { ProviderError } from '../errors';

export const SMTP_DISPLAY_NAME = 'Built-in SMTP';

/** Failures before the relay said anything: nobody listens, DNS, timeouts, a dropped socket. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
]);

/** Replies that ask to come back later because of volume (RFC 5321 4.2.2, RFC 3463). */
const THROTTLE_CODES = new Set([421, 450, 451, 452]);
const THROTTLE_TEXT =
  /rate|too many|throttl|limit|try (?:again )?later|busy|4\.7\.\d+|4\.3\.2|4\.5\.3/i;

/** Node's TLS socket errors: a TLS mode that does not fit the port, or a certificate. */
const TLS_FAILURE =
  /wrong version number|certificate|self[- ]signed|altnames|SSL routines|handshake|TLS/i;

function isTlsFailure(message: string | undefined): boolean {
  return typeof message === 'string' && TLS_FAILURE.test(message);
}

/** Login replies: 530 authentication required, 535 credentials invalid. */
const AUTH_FAILED_CODES = new Set([530, 535]);

/** What nodemailer's errors carry (smtp-connection `_formatError`). */
type NodemailerError = {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
};

/**
 * The relay's reply, fit to show an admin: one line, bounded, without the
 * password should a relay ever echo it.
 */
function replyText(response: string, password: string): string {
  let text = response.replace(/\s+/g, ' ').trim();
  if (password) text = text.split(password).join('***');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Maps what nodemailer throws to a `ProviderError`:
 * - a refused login (EAUTH, 530, 535) → `invalid_credentials` with the spec's sentence;
 * - no relay to talk to (refused, timeout, DNS, socket) → `unreachable`;
 * - a failed TLS negotiation or certificate → `provider_error` naming the TLS mode;
 * - a 4xx throttle (421, 450-452, 4.7.x, "too many", "rate") → `rate_limited`;
 * - a 5xx refusal of sender, recipient or content (550, 553, 554) → `rejected`
 *   with the relay's own words;
 * - anything else → `provider_error`.
 * `password` is only used to make sure no message ever contains it.
 */
export function toSmtpProviderError(
  error: unknown,
  password = '',
): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status =
    typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply =
    typeof e.response === 'string' ? replyText(e.response, password) : '';
  const options = { providerCode: status ?? code };

  if (code === 'EAUTH' && status && status >= 500 && status <= 504) {
    // The relay has no AUTH command (or not this mechanism): a configuration
    // mismatch, not a wrong password.
    return new ProviderError(
      'rejected',
      `The SMTP relay does not accept a login (${reply}). Remove the username to send without authentication.`,
      options,
    );
  }
  if (code === 'EAUTH' && status && status >= 400 && status < 500) {
    // 454 4.7.0 Temporary authentication failure: the password was not judged.
    return new ProviderError(
      'provider_error',
      `The SMTP relay could not check the login right now: ${reply}`,
      options,
    );
  }
  if (code === 'EAUTH' || (status && AUTH_FAILED_CODES.has(status))) {
    return new ProviderError(
      'invalid_credentials',
      ESP_MESSAGES.invalidApiKey,
      options,
    );
  }
  if (code === 'ETLS' || (code === 'ESOCKET' && isTlsFailure(e.message))) {
    const detail = reply || replyText(e.message ?? '', password);
    return new ProviderError(
      'provider_error',
      `Could not secure the connection to the SMTP relay: check the TLS mode and the relay's certificate (${
        detail || 'TLS negotiation failed'
      })`,
      options,
    );
  }
  if (status && status >= 400 && status < 500) {
    if (THROTTLE_CODES.has(status) || THROTTLE_TEXT.test(reply)) {
      return new ProviderError('rate_limited', ESP_MESSAGES.rateLimited, {
        ...options,
        cause: reply,
      });
    }
    return new ProviderError(
      'provider_error',
      `The SMTP relay refused temporarily: ${reply}`,
      options,
    );
  }
  if (status && status >= 500) {
    if (code === 'EENVELOPE' || code === 'EMESSAGE') {
      // The relay's own words, e.g. "550 5.1.1 <x@example.org>: Recipient address rejected".
      return new ProviderError('rejected', reply, options);
    }
    return new ProviderError(
      'provider_error',
      `The SMTP relay answered: ${reply}`,
      options,
    );
  }
  if (code && NETWORK_CODES.has(code)) {
    // The cause tells a refused connection (nothing sent) from one lost
    // mid-send; nodemailer's socket errors name the address, never the password.
    return new ProviderError(
      'unreachable',
      ESP_MESSAGES.unreachable(SMTP_DISPLAY_NAME),
      { ...options, cause: error },
    );
  }
  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    // Refused by nodemailer before sending ("No recipients defined", "Message
    // size larger than allowed"): about the message, never the password.
    return new ProviderError(
      'rejected',
      replyText(e.message ?? 'The message was refused', password),
      options,
    );
  }
  return new ProviderError(
    'provider_error',
    `The SMTP relay call failed${code ? ` (${code})` : ''}`,
    options,
  );
}
