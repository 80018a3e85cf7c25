import express, { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { registerEvents, userVariables } from './events';
import { registerWebhooksApi } from './webhooksApi';
import {
  MailgunSandboxDomain,
  MailgunSandboxState,
} from './MailgunSandboxState';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const addressOf = (value: string) =>
  (value.match(/<([^>]+)>/)?.[1] ?? value).trim();
function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function domainBody(d: MailgunSandboxDomain) {
  return {
    id: d.id,
    name: d.name,
    state: d.state,
    created_at: d.created_at,
    type: 'custom',
    require_tls: false,
    skip_verification: false,
    spam_action: 'disabled',
    wildcard: false,
    is_disabled: false,
    smtp_login: `postmaster@${d.name}`,
    web_prefix: 'email',
    web_scheme: 'https',
  };
}

const domainDetails = (d: MailgunSandboxDomain) => ({
  domain: domainBody(d),
  sending_dns_records: d.sending,
  receiving_dns_records: d.receiving,
});

/** Deterministic answers so tests can predict them: see the README of this package. */
function validation(address: string) {
  const [local = '', domain = ''] = address
    .toLocaleLowerCase('en-US')
    .split('@');
  if (!EMAIL.test(address) || local === 'invalid') {
    return {
      result: 'undeliverable',
      risk: 'high',
      reason: ['mailbox_does_not_exist'],
    };
  }
  if (domain === 'risky.example')
    return { result: 'deliverable', risk: 'high', reason: [] };
  if (domain === 'catchall.example')
    return { result: 'catch_all', risk: 'medium', reason: [] };
  if (local === 'abuse')
    return { result: 'do_not_send', risk: 'high', reason: ['role_address'] };
  return { result: 'deliverable', risk: 'low', reason: [] };
}

/**
 * An express app that answers like Mailgun's API for what ESP Hub uses: HTTP
 * Basic `api:<key>`, `/v4/domains`, `/v3/{domain}/messages` (multipart),
 * `/v4/address/validate`. `/__sandbox/*` is the stand-in's own control API.
 */
export function createMailgunSandboxApp(state: MailgunSandboxState) {
  const app = express();
  // @types/multer is typed against express 5; the middleware itself is the same.
  const form = multer().none() as unknown as express.RequestHandler;

  app.use((req, res, next) => {
    if (state.missingEndpoints.has(`${req.method} ${req.path}`)) {
      return res.status(404).type('text/plain').send('404 page not found');
    }
    return next();
  });

  app.use((req, res, next) => {
    if (req.path.startsWith('/__sandbox')) return next();
    const status = state.takeFailure();
    if (status === undefined) return next();
    if (status === 429) res.set('Retry-After', String(state.retryAfterSeconds));
    return res.status(status).json({
      message: status === 429 ? 'Too many requests' : 'Service unavailable',
    });
  });

  const auth = (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const [user, key] = Buffer.from(header.replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    // Mailgun answers a wrong key with a bare 401 "Forbidden".
    if (user !== 'api' || !state.apiKeys.has(key ?? ''))
      return res.status(401).send('Forbidden');
    return next();
  };

  const withDomain =
    (handler: (d: MailgunSandboxDomain, req: Request, res: Response) => void) =>
    (req: Request, res: Response) => {
      const domain = state.domains.get(
        String(req.params.domain).toLocaleLowerCase('en-US'),
      );
      if (!domain) return res.status(404).json({ message: 'Domain not found' });
      return handler(domain, req, res);
    };

  app.get('/v4/domains', auth, (_req, res) => {
    const items = [...state.domains.values()].map(domainBody);
    res.json({ total_count: items.length, items });
  });

  app.get(
    '/v4/domains/:domain',
    auth,
    withDomain((d, _req, res) => res.json(domainDetails(d))),
  );

  app.post('/v4/domains', auth, form, (req, res) => {
    const name = String(req.body?.name ?? '').trim();
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(name)) {
      return res.status(400).json({ message: `Invalid domain name '${name}'` });
    }
    if (state.domains.has(name.toLocaleLowerCase('en-US'))) {
      return res
        .status(400)
        .json({ message: 'This domain name is already taken' });
    }
    return res.json({
      message: 'Domain DNS records have been created',
      ...domainDetails(state.addDomain(name)),
    });
  });

  app.put(
    '/v4/domains/:domain/verify',
    auth,
    withDomain((d, _req, res) => {
      state.verify(d.name);
      res.json({
        message: 'Domain DNS records have been updated',
        ...domainDetails(d),
      });
    }),
  );

  app.put(
    '/v3/domains/:domain/tracking/:type',
    auth,
    form,
    withDomain((d, req, res) => {
      const active = String(req.body?.active ?? '');
      if (!['yes', 'no', 'true', 'false'].includes(active)) {
        return res.status(400).json({ message: "'active' must be yes or no" });
      }
      d.tracking[req.params.type] = active === 'yes' || active === 'true';
      return res.json({
        message: 'Domain tracking settings have been updated',
        [req.params.type]: { active: d.tracking[req.params.type] },
      });
    }),
  );

  app.delete(
    '/v3/domains/:domain',
    auth,
    withDomain((d, _req, res) => {
      state.domains.delete(d.name);
      res.json({ message: 'Domain has been deleted' });
    }),
  );

  app.post(
    '/v3/:domain/messages',
    auth,
    form,
    withDomain((d, req, res) => {
      if (d.state !== 'active') {
        return res.status(403).json({
          message: `Domain ${d.name} is not allowed to send: it is not verified`,
        });
      }
      const body = req.body as Record<string, unknown>;
      const to = list(body.to);
      if (
        !body.from ||
        to.length === 0 ||
        !to.every(a => EMAIL.test(addressOf(a)))
      ) {
        return res.status(400).json({
          message:
            "'to' parameter is not a valid address. please check documentation",
        });
      }
      const options: Record<string, string> = {};
      for (const [k, v] of Object.entries(body)) {
        if (k.startsWith('o:') && k !== 'o:tag')
          options[k.slice(2)] = String(v);
      }
      const stored = state.record({
        domain: d.name,
        from: String(body.from),
        to,
        cc: list(body.cc),
        bcc: list(body.bcc),
        subject: String(body.subject ?? ''),
        text: String(body.text ?? ''),
        tags: list(body['o:tag']),
        options,
        variables: userVariables(body),
      });
      return res.json({ id: `<${stored.id}>`, message: 'Queued. Thank you.' });
    }),
  );

  registerEvents(app, state, auth);
  registerWebhooksApi(app, state, auth, form);

  app.get('/v4/address/validate', auth, (req, res) => {
    const address = String(req.query.address ?? '');
    res.json({
      address,
      is_disposable_address: false,
      is_role_address: false,
      ...validation(address),
    });
  });

  app.get('/__sandbox/messages', (_req, res) =>
    res.json({ messages: state.messages }),
  );
  app.post('/__sandbox/domains/:name/verify-dns', (req, res) =>
    state.publishDns(req.params.name)
      ? res.json({ published: req.params.name })
      : res.status(404).json({ message: `No domain ${req.params.name}` }),
  );
  app.post('/__sandbox/fail-next', express.json(), (req, res) => {
    const statuses: number[] = Array.isArray(req.body?.statuses)
      ? req.body.statuses
      : [503];
    state.failNext(...statuses);
    res.json({ queued: statuses });
  });

  app.use((_req: Request, res: Response) =>
    res.status(404).json({ message: 'Not found in the Mailgun sandbox' }),
  );
  return app;
}
