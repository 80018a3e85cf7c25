import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createPostmarkSandboxApp } from './createPostmarkSandboxApp';
import { PostmarkSandboxState } from './PostmarkSandboxState';
import { PostmarkEventEmitter } from './PostmarkEventEmitter';
import {
  DEFAULT_EVENT_OPTIONS,
  SandboxEventOptions,
} from '../events/eventPlan';

export type PostmarkSandbox = {
  /** e.g. `http://127.0.0.1:7101`, ready for `esp.providers.postmark.baseUrl`. */
  baseUrl: string;
  host: string;
  port: number;
  state: PostmarkSandboxState;
  /** Posts events for accepted messages, when started with `events`. */
  events?: PostmarkEventEmitter;
  close(): Promise<void>;
};

/** Starts the Postmark stand-in on loopback; port 0 picks a free one. */
export async function startPostmarkSandbox(options?: {
  port?: number;
  serverTokens?: string[];
  accountTokens?: string[];
  /** Post delivery events to the registered webhooks, at these rates. */
  events?: Partial<SandboxEventOptions>;
}): Promise<PostmarkSandbox> {
  const state = new PostmarkSandboxState({
    serverTokens: options?.serverTokens ?? ['sandbox-server-token'],
    accountTokens: options?.accountTokens ?? ['sandbox-account-token'],
  });
  const events = options?.events
    ? new PostmarkEventEmitter(state, {
        ...DEFAULT_EVENT_OPTIONS,
        ...options.events,
      })
    : undefined;
  if (events) state.onAccepted = message => events.accepted(message);
  const server = http.createServer(createPostmarkSandboxApp(state));
  const host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options?.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}`,
    host,
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
