import type { SendErrorClass } from '@internal/plugin-esp-common';
import { isProviderError } from '../providers/errors';

export type ClassifiedSendError = {
  errorClass: SendErrorClass;
  /** The provider's reason, safe to show an admin (adapters never put secrets in it). */
  message: string;
  /** The provider's Retry-After in seconds, when it sent one. */
  retryAfterSeconds?: number;
  /**
   * True when the request may have reached the provider and been accepted
   * (a timeout, a connection dropped mid-answer): sending again could send
   * the message twice.
   */
  outcomeUnknown: boolean;
};

// Failures that prove nothing was sent: the connection never opened.
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNECTION',
  'EDNS',
]);
// Postmark's API error codes: 400 sender signature not found, 401 not
// confirmed, 406 inactive recipient, 300 invalid request.
const POSTMARK_SENDER_CODES = new Set([400, 401]);
const POSTMARK_INACTIVE_RECIPIENT = 406;

/**
 * A failed send in the terms of the routing page's error table. `unreachable`
 * splits by what the cause says: a refused connection sent nothing and is a
 * plain connection failure, anything else (a timeout, a reset) may have been
 * accepted and is a timeout whose outcome is unknown.
 */
export function classifySendError(
  error: unknown,
  now: Date = new Date(),
): ClassifiedSendError {
  if (!isProviderError(error)) {
    return {
      errorClass: 'provider_5xx',
      message: 'The send failed unexpectedly',
      outcomeUnknown: true,
    };
  }
  const { kind, message, providerCode } = error;
  switch (kind) {
    case 'invalid_credentials':
    case 'forbidden':
      return { errorClass: 'bad_credentials', message, outcomeUnknown: false };
    case 'rate_limited': {
      const retryAfterSeconds = parseRetryAfter(error.retryAfter, now);
      return {
        errorClass: 'rate_limited',
        message,
        outcomeUnknown: false,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      };
    }
    case 'unreachable':
      if (causeCodes(error).some(code => NOT_CONNECTED.has(code))) {
        return {
          errorClass: 'connection_failure',
          message,
          outcomeUnknown: false,
        };
      }
      return { errorClass: 'timeout', message, outcomeUnknown: true };
    case 'not_found':
      // Mailgun answers 404 for a sending domain it does not have.
      return {
        errorClass: 'sender_not_verified',
        message,
        outcomeUnknown: false,
      };
    case 'rejected':
      if (
        typeof providerCode === 'number' &&
        POSTMARK_SENDER_CODES.has(providerCode)
      ) {
        return {
          errorClass: 'sender_not_verified',
          message,
          outcomeUnknown: false,
        };
      }
      if (providerCode === POSTMARK_INACTIVE_RECIPIENT) {
        return {
          errorClass: 'recipient_inactive',
          message,
          outcomeUnknown: false,
        };
      }
      if (/not (been )?verified|unverified|sender signature/i.test(message)) {
        return {
          errorClass: 'sender_not_verified',
          message,
          outcomeUnknown: false,
        };
      }
      return { errorClass: 'message_invalid', message, outcomeUnknown: false };
    default:
      // The provider answered with an error of its own (5xx, 4xx throttling
      // at an SMTP relay): it did not accept the message.
      return { errorClass: 'provider_5xx', message, outcomeUnknown: false };
  }
}

/** `Retry-After` as seconds: a number of seconds, or an HTTP date. */
export function parseRetryAfter(
  value: string | undefined,
  now: Date,
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * The system error codes (ECONNREFUSED, ETIMEDOUT, …) in the cause chain;
 * some SDKs keep the telling one only in their message's text (Postmark's,
 * nodemailer's ESOCKET "connect ECONNREFUSED …").
 */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = (error as { cause?: unknown }).cause;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const text = String((current as { message?: unknown }).message ?? '');
    codes.push(...(text.match(/\bE[A-Z]{4,}[A-Z_]*\b/g) ?? []));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
