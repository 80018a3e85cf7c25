/**
 * Why a provider call failed, in terms the service maps to HTTP statuses and the
 * spec's messages. `message` is safe to show an admin: it never carries a secret.
 */
export type ProviderErrorKind =
  | 'invalid_credentials'
  | 'unreachable'
  | 'rate_limited'
  | 'rejected'
  | 'not_found'
  | 'forbidden'
  | 'provider_error';

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  /** The provider's own error code, when it gives one (Postmark ErrorCode). */
  readonly providerCode?: number | string;
  /** A rate limit's `Retry-After` as the provider sent it (seconds or an HTTP date). */
  readonly retryAfter?: string;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options?: {
      providerCode?: number | string;
      retryAfter?: string;
      cause?: unknown;
    },
  ) {
    super(message);
    this.name = 'ProviderError';
    this.kind = kind;
    this.providerCode = options?.providerCode;
    this.retryAfter = options?.retryAfter;
    if (options?.cause !== undefined) {
      (this as { cause?: unknown }).cause = options.cause;
    }
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}
