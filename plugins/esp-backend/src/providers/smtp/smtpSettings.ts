import { ProviderError } from '../errors';

/** How the connection to the relay is secured. */
export type SmtpTls = 'none' | 'starttls' | 'tls';

/**
 * Where the built-in relay is and how to log in, as the adapter reads it from
 * `ProviderConnection.baseUrl`. The password is the connection's `apiKey` and
 * is never part of the address.
 */
export type SmtpRelaySettings = {
  host: string;
  port: number;
  tls: SmtpTls;
  /** Absent: the relay is used without authentication. */
  username?: string;
};

const TLS_MODES: readonly SmtpTls[] = ['none', 'starttls', 'tls'];

/** Submission ports when the address names none: 465 for implicit TLS, 587 otherwise. */
function defaultPort(tls: SmtpTls): number {
  return tls === 'tls' ? 465 : 587;
}

function invalid(message: string): ProviderError {
  return new ProviderError('rejected', message);
}

function isTls(value: string): value is SmtpTls {
  return (TLS_MODES as readonly string[]).includes(value);
}

/**
 * Reads `smtp://host:port?tls=none|starttls|tls&user=<urlencoded>`. A missing
 * `tls` means STARTTLS, a missing port the submission port for the TLS mode.
 * Throws a `ProviderError` of kind `rejected` whose message says what to fix;
 * the message never repeats the address (it might carry a secret by mistake).
 */
export function parseSmtpUrl(baseUrl: string): SmtpRelaySettings {
  const address = baseUrl.trim();
  // `smtp://:587?…` is what an unconfigured host gives: name the missing part.
  if (/^smtp:\/\/(?:[:/?#]|$)/i.test(address)) {
    throw invalid('The SMTP relay needs a host name');
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalid(
      'The SMTP relay address is not valid: expected smtp://host:port',
    );
  }
  if (url.protocol !== 'smtp:') {
    throw invalid('The SMTP relay address must start with smtp://');
  }
  if (url.username || url.password) {
    throw invalid(
      'The SMTP relay address must not contain credentials: set the username and password fields instead',
    );
  }
  const host = decodeHost(url.hostname);
  if (!host) {
    throw invalid('The SMTP relay needs a host name');
  }
  if (url.pathname && url.pathname !== '/') {
    throw invalid('The SMTP relay address takes no path after host:port');
  }
  const tls = url.searchParams.get('tls') ?? 'starttls';
  if (!isTls(tls)) {
    throw invalid(
      `Unknown TLS mode '${tls.slice(
        0,
        20,
      )}' for the SMTP relay: use none, starttls or tls`,
    );
  }
  const port = url.port ? Number(url.port) : defaultPort(tls);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid('The SMTP relay port must be between 1 and 65535');
  }
  const username = url.searchParams.get('user') ?? '';
  return { host, port, tls, ...(username ? { username } : {}) };
}

/**
 * The inverse of `parseSmtpUrl`: `formatSmtpUrl(parseSmtpUrl(u))` reads back
 * the same settings. Throws like `parseSmtpUrl` for settings it cannot express
 * (an empty host, a host with `/` or `@` in it, a port out of range).
 */
export function formatSmtpUrl(settings: SmtpRelaySettings): string {
  const host = settings.host.trim();
  if (!host) {
    throw invalid('The SMTP relay needs a host name');
  }
  if (/[\s/?#@\\]/.test(host) || (host.includes(':') && !isIpv6(host))) {
    throw invalid(`The SMTP relay host name is not valid`);
  }
  const query = new URLSearchParams({ tls: settings.tls });
  if (settings.username) query.set('user', settings.username);
  const url = `smtp://${isIpv6(host) ? `[${host}]` : host}:${
    settings.port
  }?${query}`;
  const back = parseSmtpUrl(url);
  if (back.host !== host || back.port !== settings.port) {
    throw invalid('The SMTP relay host or port is not valid');
  }
  return url;
}

/** Non-special URLs keep the host percent-encoded (`mäil` → `m%C3%A4il`). */
function decodeHost(hostname: string): string {
  let host = hostname;
  try {
    host = decodeURIComponent(hostname);
  } catch {
    throw invalid('The SMTP relay host name is not valid');
  }
  return host.replace(/^\[(.*)\]$/, '$1');
}

function isIpv6(host: string): boolean {
  return /^[0-9a-f:.]+$/i.test(host) && host.includes(':');
}
