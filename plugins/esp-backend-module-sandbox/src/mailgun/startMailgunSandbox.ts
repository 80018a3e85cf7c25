import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createMailgunSandboxApp } from './createMailgunSandboxApp';
import { MailgunSandboxState } from './MailgunSandboxState';
import { MailgunEventEmitter } from './MailgunEventEmitter';
import {
  DEFAULT_EVENT_OPTIONS,
  SandboxEventOptions,
} from '../events/eventPlan';

export type MailgunSandbox = {
  /** e.g. `http://127.0.0.1:7102`, for `esp.providers.mailgun.baseUrl` (and `euBaseUrl`). */
  baseUrl: string;
  port: number;
  state: MailgunSandboxState;
  /** Posts events for accepted messages, when started with `events`. */
  events?: MailgunEventEmitter;
  close(): Promise<void>;
};

/** Starts the Mailgun stand-in on loopback; port 0 picks a free one. */
export async function startMailgunSandbox(options?: {
  port?: number;
  apiKeys?: string[];
  /** Post delivery events to the domains' webhooks, at these rates. */
  events?: Partial<SandboxEventOptions>;
}): Promise<MailgunSandbox> {
  const state = new MailgunSandboxState({
    apiKeys: options?.apiKeys ?? ['sandbox-mailgun-key'],
  });
  const events = options?.events
    ? new MailgunEventEmitter(state, {
        ...DEFAULT_EVENT_OPTIONS,
        ...options.events,
      })
    : undefined;
  if (events) state.onAccepted = message => events.accepted(message);
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
    events,
    close: () =>
      new Promise<void>((resolve, reject) => {
        events?.close();
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
