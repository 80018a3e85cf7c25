import { APIRequestContext, expect } from '@playwright/test';
import {
  MAILGUN_DEFAULTS,
  POSTMARK_DEFAULTS,
} from '@internal/plugin-esp-common';

/** The backend the browser tests run against (scripts/e2e.sh). */
export const API = 'http://localhost:7007/api';

/** The stand-ins' credentials (esp.sandbox in app-config.yaml). */
export const SANDBOX_CREDENTIALS = {
  postmarkServerToken: 'sandbox-server-token',
  postmarkAccountToken: 'sandbox-account-token',
  mailgunApiKey: 'sandbox-mailgun-key',
  mailgunDomain: 'mg.sandbox.example',
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Configures Postmark and Mailgun against the stand-ins through the API and
 * enables them, so a test stands on its own whatever ran before it.
 */
export async function configureProviders(
  request: APIRequestContext,
  token: string,
  ids: Array<'postmark' | 'mailgun'>,
) {
  const bodies = {
    postmark: {
      serverToken: SANDBOX_CREDENTIALS.postmarkServerToken,
      defaultSender: 'noreply@e2e.example.com',
      ...POSTMARK_DEFAULTS,
    },
    mailgun: {
      apiKey: SANDBOX_CREDENTIALS.mailgunApiKey,
      domain: SANDBOX_CREDENTIALS.mailgunDomain,
      ...MAILGUN_DEFAULTS,
    },
  };
  for (const id of ids) {
    const saved = await request.post(`${API}/esp/providers/${id}`, {
      headers: bearer(token),
      data: bodies[id],
    });
    expect(saved.ok(), await saved.text()).toBeTruthy();
    const enabled = await request.put(`${API}/esp/providers/${id}/enabled`, {
      headers: bearer(token),
      data: { enabled: true },
    });
    expect(enabled.ok(), await enabled.text()).toBeTruthy();
  }
}

/** Calls ESP Hub's API as the signed-in user; answers the status and the parsed body. */
export async function callEsp(
  request: APIRequestContext,
  token: string,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  data?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await request.fetch(`${API}/esp${path}`, {
    method,
    headers: bearer(token),
    data,
  });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : null };
}
