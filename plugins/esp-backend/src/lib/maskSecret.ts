/**
 * What an API response may show of a secret. Only the last four characters are
 * shown, and only for secrets long enough that four characters give away little;
 * shorter ones show nothing but the dots.
 */
export function maskSecret(secret: string): string {
  const visible = secret.length > 8 ? secret.slice(-4) : '';
  return `••••${visible}`;
}
