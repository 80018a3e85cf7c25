import { SMTP_DEFAULTS, SmtpTlsMode } from '@internal/plugin-esp-common';
import { z } from 'zod';
import { ProviderError } from '../errors';

/** The non-secret relay settings as kept in `esp_provider_config.settings`. */
export type SmtpSettings = {
  host: string | null;
  port: number;
  tls: SmtpTlsMode;
  username: string | null;
  defaultSender: string | null;
  timeoutSeconds: number;
};

/**
 * Where the built-in relay is and how to log in, as the adapter takes it. The
 * password travels beside it in the connection, never inside it.
 */
export type SmtpRelay = {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  /** Absent: the relay is used without authentication. */
  username?: string;
};

const storedSchema = z.object({
  host: z.string().nullable().optional().catch(null),
  port: z.number().int().optional().catch(undefined),
  tls: z.enum(['none', 'starttls', 'tls']).optional().catch(undefined),
  username: z.string().nullable().optional().catch(null),
  defaultSender: z.string().nullable().optional().catch(null),
  timeoutSeconds: z.number().int().optional().catch(undefined),
});

/** Lenient like the other readers: an older or hand-edited row still loads. */
export function readSmtpSettings(
  raw: Record<string, unknown> | undefined,
): SmtpSettings {
  const parsed = storedSchema.safeParse(raw ?? {});
  const stored = parsed.success ? parsed.data : {};
  return {
    host: stored.host ?? null,
    port: stored.port ?? SMTP_DEFAULTS.port,
    tls: stored.tls ?? SMTP_DEFAULTS.tls,
    username: stored.username ?? null,
    defaultSender: stored.defaultSender ?? null,
    timeoutSeconds: stored.timeoutSeconds ?? SMTP_DEFAULTS.timeoutSeconds,
  };
}

/** The relay the stored settings describe; the host may still be missing. */
export function relayOf(settings: SmtpSettings): SmtpRelay {
  return {
    host: settings.host ?? '',
    port: settings.port,
    tls: settings.tls,
    ...(settings.username ? { username: settings.username } : {}),
  };
}

function invalid(message: string): ProviderError {
  return new ProviderError('rejected', message);
}

/**
 * Checks a relay before the adapter connects to it: a host name (or an IP
 * address, IPv6 with or without brackets), a port in range and a known TLS
 * mode. Throws a `ProviderError` of kind `rejected` saying what to fix; the
 * message never repeats the username. Returns the relay with the host trimmed
 * and IPv6 brackets removed, as nodemailer takes it.
 */
export function checkSmtpRelay(relay: SmtpRelay): SmtpRelay {
  const host = relay.host.trim().replace(/^\[(.*)\]$/, '$1');
  if (!host) {
    throw invalid('The SMTP relay needs a host name');
  }
  if (/[\s/?#@\\]/.test(host) || (host.includes(':') && !isIpv6(host))) {
    throw invalid('The SMTP relay host name is not valid');
  }
  if (!Number.isInteger(relay.port) || relay.port < 1 || relay.port > 65535) {
    throw invalid('The SMTP relay port must be between 1 and 65535');
  }
  if (!['none', 'starttls', 'tls'].includes(relay.tls)) {
    throw invalid(
      `Unknown TLS mode '${String(relay.tls).slice(
        0,
        20,
      )}' for the SMTP relay: use none, starttls or tls`,
    );
  }
  return { ...relay, host };
}

function isIpv6(host: string): boolean {
  return /^[0-9a-f:.]+$/i.test(host) && host.includes(':');
}
