import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import { espApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { FakeEspApi } from './FakeEspApi';

type JsonObject = Record<string, any>;

export const ESP_BASE = '/dashboard/settings/integrations/esp';

/** A signals API the test publishes on, as the backend's signals would. */
export class FakeSignals implements SignalApi {
  private readonly listeners = new Map<string, Set<(m: JsonObject) => void>>();
  subscribe(channel: string, onMessage: (m: any) => void) {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(onMessage);
    this.listeners.set(channel, set);
    return { unsubscribe: () => set.delete(onMessage) };
  }
  publish(channel: string, message: JsonObject) {
    this.listeners.get(channel)?.forEach(l => l(message));
  }
  subscribers(channel: string) {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

/** Renders a webhooks component; `denied` names the permissions refused. */
export function renderWebhooks(
  element: JSX.Element,
  options: { api: FakeEspApi; signals?: FakeSignals; denied?: string[] },
) {
  const denied = options.denied ?? [];
  return renderInTestApp(element, {
    apis: [
      [espApiRef, options.api],
      mockApis.permission({
        authorize: request =>
          denied.includes(request.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }),
      ...(options.signals ? ([[signalApiRef, options.signals]] as const) : []),
    ] as any,
    mountedRoutes: { [ESP_BASE]: rootRouteRef },
  });
}

/** Catches the Blob downloads (jsdom has no object URLs and navigates nowhere). */
export function captureDownloads() {
  const files: Array<{ name: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  let n = 0;
  (URL as any).createObjectURL = (blob: Blob) => {
    const url = `blob:test/${++n}`;
    blobs.set(url, blob);
    return url;
  };
  (URL as any).revokeObjectURL = () => {};
  jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
      files.push({ name: this.download, blob: blobs.get(this.href)! });
    });
  return files;
}

/**
 * Records what is copied (user-event's own clipboard stub cannot read back
 * in this jsdom); call it after `userEvent.setup()`, which installs that stub.
 */
export function recordClipboard() {
  const writeText = jest.fn(async (_text: string) => {});
  Object.defineProperty(window.navigator, 'clipboard', {
    value: { writeText },
    configurable: true,
  });
  return writeText;
}
