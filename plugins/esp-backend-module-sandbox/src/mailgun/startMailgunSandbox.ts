import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createMailgunSandboxApp } from './createMailgunSandboxApp';
import { MailgunSandboxState } from './MailgunSandboxState';

export type MailgunSandbox = {
  /** e.g. `http://127.0.0.1:7102`, for `esp.providers.mailgun.baseUrl` (and `euBaseUrl`). */
  baseUrl: string;
  port: number;
  state: MailgunSandboxState;
  close(): Promise<void>;
};

/** Starts the Mailgun stand-in on loopback; port 0 picks a free one. */
export async function startMailgunSandbox(options?: {
  port?: number;
  apiKeys?: string[];
}): Promise<MailgunSandbox> {
  const state = new MailgunSandboxState({
    apiKeys: options?.apiKeys ?? ['sandbox-mailgun-key'],
  });
  const server = http.createServer(createMailgunSandboxApp(state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options?.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
