import nodemailer from 'nodemailer';
import { sendEachInTurn } from '../sendEachInTurn';
import type {
  BatchItemResult,
  CredentialCheck,
  OutboundMessage,
  ProviderAdapter,
  ProviderCapabilities,
  ProviderConnection,
  SendReceipt,
} from '../types';
import { toSmtpProviderError } from './smtpErrors';
import { parseSmtpUrl } from './smtpRelay';

function transportFor(conn: ProviderConnection) {
  const relay = parseSmtpUrl(conn.baseUrl);
  const timeoutMs = conn.timeoutSeconds * 1000;
  return nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: relay.tls === 'tls',
    // STARTTLS must succeed when asked for; "none" never upgrades.
    requireTLS: relay.tls === 'starttls',
    ignoreTLS: relay.tls === 'none',
    auth: relay.username
      ? { user: relay.username, pass: conn.apiKey }
      : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toSmtpProviderError(error);
  }
}

/** The built-in relay: any SMTP server, through nodemailer. */
export class SmtpAdapter implements ProviderAdapter {
  readonly id = 'smtp' as const;
  readonly displayName = 'Built-in SMTP';
  readonly capabilities: ProviderCapabilities = {
    batchLimit: 100,
    domainManagement: false,
    messageStreams: false,
    trackingOptions: [],
    regions: [],
  };

  async verifyCredentials(conn: ProviderConnection): Promise<CredentialCheck> {
    const relay = parseSmtpUrl(conn.baseUrl);
    const transport = transportFor(conn);
    try {
      // The handshake, TLS upgrade and login, without sending anything.
      await call(() => transport.verify());
    } finally {
      transport.close();
    }
    return { accountName: `${relay.host}:${relay.port}` };
  }

  sendBatch(
    conn: ProviderConnection,
    messages: OutboundMessage[],
  ): Promise<BatchItemResult[]> {
    return sendEachInTurn(this, conn, messages);
  }

  async sendEmail(
    conn: ProviderConnection,
    message: OutboundMessage,
  ): Promise<SendReceipt> {
    const transport = transportFor(conn);
    try {
      const info = await call(() =>
        transport.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: message.tags?.length
            ? { 'X-ESP-Tags': message.tags.join(', ') }
            : undefined,
        }),
      );
      return {
        messageId: String(info.messageId).replace(/^<|>$/g, ''),
        submittedAt: new Date().toISOString(),
      };
    } finally {
      transport.close();
    }
  }
}
