/**
 * POSTs one webhook as the providers do: JSON, retried with a doubling delay
 * while the receiver answers 5xx or cannot be reached. Mailgun stops on 406,
 * Postmark on 403; any other 4xx is not retried either here.
 */
export async function postWebhook(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  retry: { maxAttempts: number; retryDelayMs: number },
  onAnswer?: (status: number | 'unreachable', attempt: number) => void,
): Promise<number | 'unreachable'> {
  let outcome: number | 'unreachable' = 'unreachable';
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      await answer.arrayBuffer().catch(() => undefined);
      outcome = answer.status;
    } catch {
      outcome = 'unreachable';
    }
    onAnswer?.(outcome, attempt);
    if (outcome !== 'unreachable' && outcome < 500) return outcome;
    if (attempt < retry.maxAttempts) {
      await new Promise(resolve =>
        setTimeout(resolve, retry.retryDelayMs * 2 ** (attempt - 1)),
      );
    }
  }
  return outcome;
}

/** Splits `https://user:pass@host/path` into the URL and its Basic credentials. */
export function basicAuthOf(
  username: string | undefined,
  password: string | undefined,
): Record<string, string> {
  return username
    ? {
        authorization: `Basic ${Buffer.from(
          `${username}:${password ?? ''}`,
        ).toString('base64')}`,
      }
    : {};
}
