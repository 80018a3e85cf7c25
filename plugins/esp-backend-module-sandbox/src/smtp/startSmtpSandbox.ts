import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  /** The authenticated user, when the client logged in. */
  user?: string;
  receivedAt: string;
};

export type SmtpSandbox = {
  host: string;
  port: number;
  messages: ReceivedMail[];
  close(): Promise<void>;
};

/**
 * A real SMTP server on loopback that keeps what it receives. With `users`, it
 * requires AUTH (PLAIN/LOGIN) and refuses wrong passwords like a relay would.
 */
export async function startSmtpSandbox(options?: {
  port?: number;
  users?: Record<string, string>;
  /** Called for each accepted message, e.g. to show it in the backend's log. */
  onReceived?: (mail: ReceivedMail) => void;
  /**
   * Refuses every MAIL FROM with this reply, as a busy or throttling relay
   * does, e.g. `{ code: 451, message: '4.3.0 Try again later' }`.
   */
  refuseMail?: { code: number; message: string };
}): Promise<SmtpSandbox> {
  const messages: ReceivedMail[] = [];
  const users = options?.users;
  const server = new SMTPServer({
    // Loopback only, for development and tests: no TLS certificate to manage.
    secure: false,
    disabledCommands: users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !users,
    logger: false,
    onAuth(auth, _session, callback) {
      if (users && users[auth.username ?? ''] === auth.password) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onMailFrom(_address, _session, callback) {
      const refusal = options?.refuseMail;
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & {
        responseCode: number;
      };
      error.responseCode = refusal.code;
      return callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(parsed => {
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom
              ? session.envelope.mailFrom.address
              : '',
            to: session.envelope.rcptTo.map(r => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            user: typeof session.user === 'string' ? session.user : undefined,
            receivedAt: new Date().toISOString(),
          };
          messages.push(mail);
          options?.onReceived?.(mail);
          callback();
        })
        .catch(callback);
    },
  });
  const host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options?.port ?? 0, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host,
    port,
    messages,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
