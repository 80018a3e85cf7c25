import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { sendEachInTurn } from '../sendEachInTurn';
import type {
  BatchItemResult,
  CredentialCheck,
  OutboundMessage,
  PooledConnection,
  ProviderAdapter,
  ProviderCapabilities,
  ProviderConnection,
  SendReceipt,
} from '../types';
import { SMTP_DISPLAY_NAME, toSmtpProviderError } from './smtpErrors';
import { checkSmtpRelay, SmtpRelay } from './smtpSettings';

/** What every call to the relay takes, built by the SMTP profile. */
export type SmtpConnection = ProviderConnection & {
  relay: SmtpRelay;
  /** Used only with `relay.username`. */
  password?: string;
  /**
   * A pooled transport to the relay (`openPool`): sends reuse its open,
   * logged-in connections instead of a handshake each.
   */
  pool?: Mail;
};

// Connections a pooled transport keeps open to the relay at most.
const POOL_CONNECTIONS = 4;

/** The header that carries a message's tags: a relay has no tag field. */
export const SMTP_TAGS_HEADER = 'X-ESP-Tags';

const DEFAULT_TIMEOUT_SECONDS = 30;

function transportFor(
  conn: SmtpConnection,
  relay: SmtpRelay,
  pooled = false,
): Mail {
  const seconds =
    Number.isFinite(conn.timeoutSeconds) && conn.timeoutSeconds > 0
      ? conn.timeoutSeconds
      : DEFAULT_TIMEOUT_SECONDS;
  const timeoutMs = seconds * 1000;
  // `forceAuth` is nodemailer 7's; @types/nodemailer 6 does not know it yet.
  const options: SMTPTransport.Options & { forceAuth?: boolean } = {
    host: relay.host,
    port: relay.port,
    // 'tls': TLS from the first byte (465); 'starttls': the upgrade must
    // succeed, never a silent fallback to clear text; 'none': never upgrades.
    secure: relay.tls === 'tls',
    requireTLS: relay.tls === 'starttls',
    ignoreTLS: relay.tls === 'none',
    auth: relay.username
      ? { user: relay.username, pass: conn.password ?? '' }
      : undefined,
    // With a username, log in even when the relay does not announce AUTH, so a
    // check never passes without the password having been tried.
    forceAuth: Boolean(relay.username),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Nothing in a message may read local files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
  if (pooled) {
    return nodemailer.createTransport({
      ...options,
      pool: true,
      maxConnections: POOL_CONNECTIONS,
    } as SMTPTransport.Options);
  }
  return nodemailer.createTransport(options);
}

/** The tags as one header value; CR/LF and commas would break the list. */
function tagsHeader(tags: string[] | undefined): string | undefined {
  const clean = (tags ?? [])
    .map(tag => tag.replace(/[\r\n,]+/g, ' ').trim())
    .filter(Boolean);
  return clean.length ? clean.join(', ') : undefined;
}

/** What nodemailer sends for an outbound message. */
export function toMailOptions(message: OutboundMessage): Mail.Options {
  const tags = tagsHeader(message.tags);
  const headers = {
    ...message.headers,
    ...(tags ? { [SMTP_TAGS_HEADER]: tags } : {}),
  };
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.cc?.length ? { cc: message.cc } : {}),
    ...(message.bcc?.length ? { bcc: message.bcc } : {}),
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(message.attachments?.length
      ? {
          attachments: message.attachments.map(a => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
            encoding: 'base64',
          })),
        }
      : {}),
  };
}

/** `<id@host>` → `id@host`. */
function bareMessageId(messageId: string): string {
  return messageId.trim().replace(/^<|>$/g, '');
}

/**
 * The built-in relay: any SMTP server, through nodemailer. Stateless: a
 * transport per call, closed afterwards, unless the connection carries a
 * pool (`openPool`, the send path's). No domain management: the relay's
 * domains are the relay owner's business.
 */
export class SmtpAdapter implements ProviderAdapter<SmtpConnection> {
  readonly id = 'smtp' as const;
  readonly displayName = SMTP_DISPLAY_NAME;
  readonly capabilities: ProviderCapabilities = {
    batchLimit: 100,
    domainManagement: false,
  };

  /** The SMTP handshake, TLS as configured and, with a username, the login. Sends nothing. */
  async verifyCredentials(conn: SmtpConnection): Promise<CredentialCheck> {
    const relay = checkSmtpRelay(conn.relay);
    const transport = transportFor(conn, relay);
    try {
      await transport.verify();
    } catch (error) {
      throw toSmtpProviderError(error, conn.password);
    } finally {
      transport.close();
    }
    return { accountName: `${relay.host}:${relay.port}` };
  }

  async sendEmail(
    conn: SmtpConnection,
    message: OutboundMessage,
  ): Promise<SendReceipt> {
    const relay = checkSmtpRelay(conn.relay);
    const transport = conn.pool ?? transportFor(conn, relay);
    try {
      const info = await transport.sendMail(toMailOptions(message));
      return {
        messageId: bareMessageId(String(info.messageId ?? '')),
        submittedAt: new Date().toISOString(),
      };
    } catch (error) {
      throw toSmtpProviderError(error, conn.password);
    } finally {
      // A pool outlives the call: its owner closes it.
      if (!conn.pool) transport.close();
    }
  }

  /** A pooled transport for the send path, kept while the relay's settings stay. */
  openPool(conn: SmtpConnection): PooledConnection<SmtpConnection> {
    const pool = transportFor(conn, checkSmtpRelay(conn.relay), true);
    return { conn: { ...conn, pool }, close: () => pool.close() };
  }

  /**
   * One message after another (SMTP has no batch). A broken relay
   * fails the whole call before anything is sent.
   */
  async sendBatch(
    conn: SmtpConnection,
    messages: OutboundMessage[],
  ): Promise<BatchItemResult[]> {
    checkSmtpRelay(conn.relay);
    return sendEachInTurn(this, conn, messages);
  }
}
