import { ResponseError } from '@backstage/errors';
import { ESP_MESSAGES } from '@internal/plugin-esp-common';
import { EspClient } from './EspClient';
import { errorMessage } from '../lib/errorMessage';

/** Records what the client sent and answers like esp-backend would. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchApi = {
    fetch: jest.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return answer(url, init);
    }),
  };
  const client = new EspClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    fetchApi: fetchApi as any,
  });
  return { client, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('EspClient', () => {
  it('posts JSON to the plugin base URL', async () => {
    const { client, calls } = fakeFetch(() =>
      json(200, {
        messageId: 'm-1',
        to: 'a@example.com',
        submittedAt: 'now',
        durationMs: 5,
      }),
    );
    const result = await client.sendTestEmail('postmark', {
      to: 'a@example.com',
    });
    expect(result.messageId).toBe('m-1');
    expect(calls[0].url).toBe(
      'http://backend/api/esp/providers/postmark/test-email',
    );
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      to: 'a@example.com',
    });
  });

  it("throws the backend's error with its own message", async () => {
    const { client } = fakeFetch(() =>
      json(400, {
        error: { name: 'InputError', message: ESP_MESSAGES.invalidApiKey },
        response: { statusCode: 400 },
      }),
    );
    const error = await client.savePostmarkConfig({} as any).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(errorMessage(error)).toBe(ESP_MESSAGES.invalidApiKey);
  });

  it('accepts an empty 204 answer and escapes path segments', async () => {
    const { client, calls } = fakeFetch(
      () => new Response(null, { status: 204 }),
    );
    await expect(
      client.removeDomain('postmark', 'a/b'),
    ).resolves.toBeUndefined();
    expect(calls[0].url).toBe(
      'http://backend/api/esp/providers/postmark/domains/a%2Fb',
    );
    expect(calls[0].init.method).toBe('DELETE');
  });
});
