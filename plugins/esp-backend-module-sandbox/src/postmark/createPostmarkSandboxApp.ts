import express, { NextFunction, Request, Response } from 'express';
import { registerOutboundSearch } from './outboundSearch';
import { registerWebhooksApi } from './webhooksApi';
import { PostmarkSandboxState, SandboxDomain } from './PostmarkSandboxState';

// Postmark's documented batch limit.
const BATCH_LIMIT = 500;

type PostmarkError = { status: number; code: number; message: string };

const fail = (res: Response, e: PostmarkError) =>
  res.status(e.status).json({ ErrorCode: e.code, Message: e.message });

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const addressOf = (value: string) =>
  (value.match(/<([^>]+)>/)?.[1] ?? value).trim();

function domainBody(d: SandboxDomain) {
  return {
    ID: d.ID,
    Name: d.Name,
    SPFVerified: d.DKIMVerified,
    DKIMVerified: d.DKIMVerified,
    WeakDKIM: false,
    ReturnPathDomainVerified: d.ReturnPathDomainVerified,
  };
}

function domainDetails(d: SandboxDomain) {
  return {
    ...domainBody(d),
    SPFHost: d.Name,
    SPFTextValue: 'v=spf1 a mx include:spf.mtasv.net ~all',
    DKIMHost: d.DKIMVerified ? d.DKIMPendingHost : '',
    DKIMTextValue: d.DKIMVerified ? d.DKIMPendingTextValue : '',
    DKIMPendingHost: d.DKIMVerified ? '' : d.DKIMPendingHost,
    DKIMPendingTextValue: d.DKIMVerified ? '' : d.DKIMPendingTextValue,
    DKIMRevokedHost: '',
    DKIMRevokedTextValue: '',
    SafeToRemoveRevokedKeyFromDNS: false,
    DKIMUpdateStatus: d.DKIMVerified ? 'Verified' : 'Pending',
    ReturnPathDomain: d.ReturnPathDomain,
    ReturnPathDomainCNAMEValue: 'pm.mtasv.net',
  };
}

/**
 * An express app that answers like Postmark's REST API for the endpoints ESP Hub
 * uses, with the documented shapes: PascalCase bodies, `ErrorCode` + `Message`
 * errors, 401/ErrorCode 10 for a bad token, 422 for a rejected request.
 * `/__sandbox/*` is the stand-in's own control API for tests and developers.
 */
export function createPostmarkSandboxApp(state: PostmarkSandboxState) {
  const app = express();
  // The SDK sends the body "null" on GETs, which strict JSON parsing refuses.
  app.use(express.json({ limit: '50mb', strict: false }));

  app.use((req, res, next) => {
    if (req.path.startsWith('/__sandbox')) return next();
    const status = state.takeFailure();
    if (status === undefined) return next();
    if (status === 429) res.set('Retry-After', String(state.retryAfterSeconds));
    return fail(res, {
      status,
      code: status === 429 ? 429 : 0,
      message: status === 429 ? 'Rate limit exceeded.' : 'Service unavailable.',
    });
  });

  const requireToken =
    (kind: 'Server' | 'Account') =>
    (req: Request, res: Response, next: NextFunction) => {
      const token = req.header(`X-Postmark-${kind}-Token`);
      if (
        !token &&
        !req.header(
          `X-Postmark-${kind === 'Server' ? 'Account' : 'Server'}-Token`,
        )
      ) {
        return fail(res, {
          status: 401,
          code: 10,
          message:
            'No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.',
        });
      }
      const valid =
        kind === 'Server' ? state.serverTokens : state.accountTokens;
      if (!token || !valid.has(token)) {
        return fail(res, {
          status: 401,
          code: 10,
          message: `Request does not contain a valid ${kind} token.`,
        });
      }
      return next();
    };
  const server = requireToken('Server');
  const account = requireToken('Account');

  app.get('/server', server, (_req, res) => {
    res.json({
      ID: 1,
      Name: state.serverName,
      ApiTokens: ['hidden'],
      Color: 'blue',
    });
  });

  app.get('/message-streams', server, (_req, res) => {
    const streams = state.streams.map(s => ({
      ...s,
      ServerID: 1,
      Description: '',
      CreatedAt: '2026-01-01T00:00:00Z',
      SubscriptionManagementConfiguration: { UnsubscribeHandlingType: 'None' },
    }));
    res.json({ MessageStreams: streams, TotalCount: streams.length });
  });

  const accept = (
    message: any,
  ): { status: number; body: Record<string, unknown> } => {
    const to = String(message?.To ?? '');
    const from = String(message?.From ?? '');
    if (!from)
      return {
        status: 422,
        body: { ErrorCode: 300, Message: "Invalid 'From' address: ''." },
      };
    if (!to || !to.split(',').every(a => EMAIL.test(addressOf(a)))) {
      return {
        status: 422,
        body: { ErrorCode: 300, Message: `Invalid 'To' address: '${to}'.` },
      };
    }
    const stream = message.MessageStream ?? 'outbound';
    if (!state.streams.some(s => s.ID === stream)) {
      return {
        status: 422,
        body: {
          ErrorCode: 1235,
          Message: `The message stream '${stream}' was not found.`,
        },
      };
    }
    if (!state.canSendFrom(from)) {
      return {
        status: 422,
        body: {
          ErrorCode: 400,
          Message: `The 'From' address you supplied (${addressOf(
            from,
          )}) is not a Sender Signature on your account. Please add and confirm this address in order to be able to use it in the 'From' field of your messages.`,
        },
      };
    }
    const stored = state.record({
      ...message,
      From: from,
      To: to,
      MessageStream: stream,
    });
    return {
      status: 200,
      body: {
        To: to,
        SubmittedAt: stored.SubmittedAt,
        MessageID: stored.MessageID,
        ErrorCode: 0,
        Message: 'OK',
      },
    };
  };

  // The message is recorded at once and the answer waits (`answerDelayMs`):
  // a sender stopped meanwhile never learns that it was accepted.
  const answerLater = (send: () => void) => {
    if (state.answerDelayMs > 0) setTimeout(send, state.answerDelayMs);
    else send();
  };

  app.post('/email', server, (req, res) => {
    const result = accept(req.body);
    answerLater(() => res.status(result.status).json(result.body));
  });

  app.post('/email/batch', server, (req, res) => {
    if (!Array.isArray(req.body) || req.body.length > BATCH_LIMIT) {
      return fail(res, {
        status: 422,
        code: 300,
        message: `A batch holds 1 to ${BATCH_LIMIT} messages.`,
      });
    }
    // HTTP 200 even when some fail: each element carries its own ErrorCode.
    const results = req.body.map(m => accept(m).body);
    return answerLater(() => res.json(results));
  });

  app.get('/domains', account, (req, res) => {
    const count = Number(req.query.count ?? 500);
    const offset = Number(req.query.offset ?? 0);
    res.json({
      TotalCount: state.domains.length,
      Domains: state.domains.slice(offset, offset + count).map(domainBody),
    });
  });

  const withDomain =
    (handler: (d: SandboxDomain, req: Request, res: Response) => void) =>
    (req: Request, res: Response) => {
      const domain = state.findDomain(Number(req.params.id));
      if (!domain)
        return fail(res, {
          status: 404,
          code: 510,
          message: 'This domain was not found.',
        });
      return handler(domain, req, res);
    };

  app.get(
    '/domains/:id',
    account,
    withDomain((d, _req, res) => res.json(domainDetails(d))),
  );

  app.post('/domains', account, (req, res) => {
    const name = String(req.body?.Name ?? '').trim();
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(name)) {
      return fail(res, {
        status: 422,
        code: 300,
        message: `Invalid domain name '${name}'.`,
      });
    }
    if (state.findDomain(name)) {
      return fail(res, {
        status: 422,
        code: 503,
        message: 'This domain already exists.',
      });
    }
    return res.json(domainDetails(state.addDomain(name)));
  });

  app.delete(
    '/domains/:id',
    account,
    withDomain((d, _req, res) => {
      state.domains.splice(state.domains.indexOf(d), 1);
      res.json({ ErrorCode: 0, Message: `Domain ${d.Name} removed.` });
    }),
  );

  app.put(
    '/domains/:id/verifyDKIM',
    account,
    withDomain((d, _req, res) => {
      d.DKIMVerified = d.dnsPublished;
      res.json(domainDetails(d));
    }),
  );

  app.put(
    '/domains/:id/verifyReturnPath',
    account,
    withDomain((d, _req, res) => {
      d.ReturnPathDomainVerified = d.dnsPublished;
      res.json(domainDetails(d));
    }),
  );

  app.get('/senders', account, (req, res) => {
    const count = Number(req.query.count ?? 500);
    const offset = Number(req.query.offset ?? 0);
    res.json({
      TotalCount: state.signatures.length,
      SenderSignatures: state.signatures
        .slice(offset, offset + count)
        .map(s => ({
          ...s,
          Domain: s.EmailAddress.split('@').pop(),
          ReplyToEmailAddress: '',
        })),
    });
  });

  registerOutboundSearch(app, state, server);
  registerWebhooksApi(app, state, server);

  app.get('/__sandbox/messages', (_req, res) => {
    res.json({ messages: state.messages });
  });

  app.post('/__sandbox/domains/:name/verify-dns', (req, res) => {
    if (!state.publishDns(req.params.name)) {
      return res.status(404).json({ message: `No domain ${req.params.name}` });
    }
    return res.json({ published: req.params.name });
  });

  app.post('/__sandbox/fail-next', express.json(), (req, res) => {
    const statuses: number[] = Array.isArray(req.body?.statuses)
      ? req.body.statuses
      : [503];
    state.failNext(...statuses);
    res.json({ queued: statuses });
  });

  app.use((_req: Request, res: Response) => {
    fail(res, {
      status: 404,
      code: 0,
      message: 'Not found in the Postmark sandbox.',
    });
  });

  return app;
}
