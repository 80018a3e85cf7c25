import type { SmtpTlsMode } from '@internal/plugin-esp-common';
import { ProviderError } from '../errors';

export type SmtpRelay = {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  username?: string;
};

/**
 * Reads the relay from the connection's `smtp://host:port?tls=…&user=…` address
 * (the password is the connection's apiKey, never part of the URL).
 */
export function parseSmtpUrl(baseUrl: string): SmtpRelay {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ProviderError('rejected', 'The SMTP relay address is not valid');
  }
  const tls = url.searchParams.get('tls') ?? 'starttls';
  if (url.protocol !== 'smtp:' || !url.hostname) {
    throw new ProviderError('rejected', 'The SMTP relay needs a host');
  }
  if (tls !== 'none' && tls !== 'starttls' && tls !== 'tls') {
    throw new ProviderError('rejected', `Unknown TLS mode '${tls}'`);
  }
  const port = url.port ? Number(url.port) : 587;
  const username = url.searchParams.get('user') ?? undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    tls,
    ...(username ? { username } : {}),
  };
}
