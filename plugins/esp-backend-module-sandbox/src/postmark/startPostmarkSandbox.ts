import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createPostmarkSandboxApp } from './createPostmarkSandboxApp';
import { PostmarkSandboxState } from './PostmarkSandboxState';

export type PostmarkSandbox = {
  /** e.g. `http://127.0.0.1:7101`, ready for `esp.providers.postmark.baseUrl`. */
  baseUrl: string;
  host: string;
  port: number;
  state: PostmarkSandboxState;
  close(): Promise<void>;
};

/** Starts the Postmark stand-in on loopback; port 0 picks a free one. */
export async function startPostmarkSandbox(options?: {
  port?: number;
  serverTokens?: string[];
  accountTokens?: string[];
}): Promise<PostmarkSandbox> {
  const state = new PostmarkSandboxState({
    serverTokens: options?.serverTokens ?? ['sandbox-server-token'],
    accountTokens: options?.accountTokens ?? ['sandbox-account-token'],
  });
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
