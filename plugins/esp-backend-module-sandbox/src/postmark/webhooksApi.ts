import type { Express, RequestHandler, Response } from 'express';
import type { PostmarkSandboxState } from './PostmarkSandboxState';

/** A webhook as Postmark's webhooks API stores and answers it. */
export type SandboxWebhook = {
  ID: number;
  Url: string;
  MessageStream: string;
  HttpAuth: { Username: string; Password: string } | null;
  HttpHeaders: Array<{ Name: string; Value: string }>;
  Triggers: {
    Open: { Enabled: boolean; PostFirstOpenOnly: boolean };
    Click: { Enabled: boolean };
    Delivery: { Enabled: boolean };
    Bounce: { Enabled: boolean; IncludeContent: boolean };
    SpamComplaint: { Enabled: boolean; IncludeContent: boolean };
    SubscriptionChange: { Enabled: boolean };
  };
};

/** What a suppression call asked, recorded for tests. */
export type SandboxSuppressionCall = {
  action: 'add' | 'delete';
  stream: string;
  addresses: string[];
};

const notFound = (res: Response) =>
  res
    .status(422)
    .json({ ErrorCode: 1401, Message: 'This webhook was not found.' });

// Postmark fills in every trigger, disabled unless asked for.
function triggers(given: any): SandboxWebhook['Triggers'] {
  const on = (t: any) => Boolean(t?.Enabled);
  return {
    Open: {
      Enabled: on(given?.Open),
      PostFirstOpenOnly: Boolean(given?.Open?.PostFirstOpenOnly),
    },
    Click: { Enabled: on(given?.Click) },
    Delivery: { Enabled: on(given?.Delivery) },
    Bounce: {
      Enabled: on(given?.Bounce),
      IncludeContent: Boolean(given?.Bounce?.IncludeContent),
    },
    SpamComplaint: {
      Enabled: on(given?.SpamComplaint),
      IncludeContent: Boolean(given?.SpamComplaint?.IncludeContent),
    },
    SubscriptionChange: { Enabled: on(given?.SubscriptionChange) },
  };
}

function httpAuth(given: any): SandboxWebhook['HttpAuth'] {
  return given && typeof given.Username === 'string'
    ? { Username: given.Username, Password: String(given.Password ?? '') }
    : null;
}

function httpHeaders(given: any): SandboxWebhook['HttpHeaders'] {
  return Array.isArray(given)
    ? given.map(h => ({ Name: String(h?.Name), Value: String(h?.Value) }))
    : [];
}

/**
 * Postmark's webhooks API (server token): `GET /webhooks?MessageStream=`,
 * `GET|PUT|DELETE /webhooks/{id}`, `POST /webhooks`; and the suppressions
 * API of a message stream: `POST /message-streams/{stream}/suppressions`
 * and `…/suppressions/delete` with `{ Suppressions: [{ EmailAddress }] }`.
 */
export function registerWebhooksApi(
  app: Express,
  state: PostmarkSandboxState,
  server: RequestHandler,
) {
  app.get('/webhooks', server, (req, res) => {
    // Postmark reads query names without regard to case; the SDK sends `messageStream`.
    const stream = req.query.MessageStream ?? req.query.messageStream;
    res.json({
      Webhooks: state.webhooks.filter(
        w => stream === undefined || w.MessageStream === stream,
      ),
    });
  });

  app.get('/webhooks/:id', server, (req, res) => {
    const hook = state.webhooks.find(w => w.ID === Number(req.params.id));
    return hook ? res.json(hook) : notFound(res);
  });

  app.post('/webhooks', server, (req, res) => {
    const url = String(req.body?.Url ?? '');
    if (!/^https?:\/\//.test(url)) {
      return res
        .status(422)
        .json({ ErrorCode: 1400, Message: 'The webhook URL is invalid.' });
    }
    const stream = String(req.body?.MessageStream ?? 'outbound');
    if (!state.streams.some(s => s.ID === stream)) {
      return res.status(422).json({
        ErrorCode: 1235,
        Message: `The message stream '${stream}' was not found.`,
      });
    }
    const hook: SandboxWebhook = {
      ID: state.nextWebhookId(),
      Url: url,
      MessageStream: stream,
      HttpAuth: httpAuth(req.body?.HttpAuth),
      HttpHeaders: httpHeaders(req.body?.HttpHeaders),
      Triggers: triggers(req.body?.Triggers),
    };
    state.webhooks.push(hook);
    return res.json(hook);
  });

  app.put('/webhooks/:id', server, (req, res) => {
    const hook = state.webhooks.find(w => w.ID === Number(req.params.id));
    if (!hook) return notFound(res);
    if (req.body?.Url) hook.Url = String(req.body.Url);
    if (req.body?.HttpAuth !== undefined)
      hook.HttpAuth = httpAuth(req.body.HttpAuth);
    if (req.body?.HttpHeaders !== undefined)
      hook.HttpHeaders = httpHeaders(req.body.HttpHeaders);
    if (req.body?.Triggers !== undefined)
      hook.Triggers = triggers({ ...hook.Triggers, ...req.body.Triggers });
    return res.json(hook);
  });

  app.delete('/webhooks/:id', server, (req, res) => {
    const index = state.webhooks.findIndex(w => w.ID === Number(req.params.id));
    if (index < 0) return notFound(res);
    state.webhooks.splice(index, 1);
    return res.json({ ErrorCode: 0, Message: 'Webhook removed.' });
  });

  const suppressions =
    (action: 'add' | 'delete') => (req: any, res: Response) => {
      const stream = String(req.params.stream);
      if (!state.streams.some(s => s.ID === stream)) {
        return res.status(422).json({
          ErrorCode: 1235,
          Message: `The message stream '${stream}' was not found.`,
        });
      }
      const list: unknown[] = Array.isArray(req.body?.Suppressions)
        ? req.body.Suppressions
        : [];
      const addresses = list.map(s => String((s as any)?.EmailAddress ?? ''));
      state.suppressionCalls.push({ action, stream, addresses });
      return res.json({
        Suppressions: addresses.map(EmailAddress => ({
          EmailAddress,
          Status: action === 'add' ? 'Suppressed' : 'Deleted',
          Message: null,
        })),
      });
    };
  app.post(
    '/message-streams/:stream/suppressions/delete',
    server,
    suppressions('delete'),
  );
  app.post(
    '/message-streams/:stream/suppressions',
    server,
    suppressions('add'),
  );
}
