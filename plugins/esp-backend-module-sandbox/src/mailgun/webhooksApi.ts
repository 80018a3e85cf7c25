import express, { Express, RequestHandler } from 'express';
import type { MailgunSandboxState } from './MailgunSandboxState';

/** Mailgun's domain webhook ids. */
export const MAILGUN_WEBHOOK_IDS = [
  'accepted',
  'delivered',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'permanent_fail',
  'temporary_fail',
] as const;

/** What a suppression call asked, recorded for tests. */
export type MailgunSuppressionCall = {
  action: 'add' | 'delete';
  domain: string;
  list: 'bounces' | 'unsubscribes' | 'complaints';
  address: string;
  /** The fields given with an added address (code, error, tag). */
  fields?: Record<string, string>;
};

function urlsOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * Mailgun's domain webhooks API (`/v3/domains/{domain}/webhooks`, multipart
 * `id` + `url`, up to three urls per id), the account's HTTP webhook signing
 * key (`GET /v5/accounts/http_signing_key`) and the suppression lists
 * (`/v3/{domain}/bounces|unsubscribes|complaints`: JSON arrays or a form,
 * `DELETE …/{address}`).
 */
export function registerWebhooksApi(
  app: Express,
  state: MailgunSandboxState,
  auth: RequestHandler,
  form: RequestHandler,
) {
  const hooksOf = (domain: string) => {
    let hooks = state.webhooks.get(domain);
    if (!hooks) {
      hooks = new Map();
      state.webhooks.set(domain, hooks);
    }
    return hooks;
  };
  const knownDomain: RequestHandler = (req, res, next) =>
    state.domains.has(String(req.params.domain).toLocaleLowerCase('en-US'))
      ? next()
      : res.status(404).json({ message: 'Domain not found' });
  const knownId = (id: string) =>
    (MAILGUN_WEBHOOK_IDS as readonly string[]).includes(id);

  app.get('/v3/domains/:domain/webhooks', auth, knownDomain, (req, res) => {
    const hooks = hooksOf(req.params.domain);
    res.json({
      webhooks: Object.fromEntries(
        [...hooks].map(([id, urls]) => [id, { urls }]),
      ),
    });
  });

  app.get('/v3/domains/:domain/webhooks/:id', auth, knownDomain, (req, res) => {
    const urls = hooksOf(req.params.domain).get(req.params.id);
    return urls
      ? res.json({ webhook: { urls } })
      : res.status(404).json({ message: 'Webhook not found' });
  });

  app.post(
    '/v3/domains/:domain/webhooks',
    auth,
    knownDomain,
    form,
    (req, res) => {
      const id = String(req.body?.id ?? '');
      const urls = urlsOf(req.body?.url);
      if (!knownId(id)) {
        return res.status(400).json({ message: `Invalid webhook id '${id}'` });
      }
      if (urls.length === 0 || urls.length > 3) {
        return res.status(400).json({ message: 'url is required (up to 3)' });
      }
      const hooks = hooksOf(req.params.domain);
      if (hooks.has(id)) {
        return res.status(400).json({ message: 'Webhook already exists' });
      }
      hooks.set(id, urls);
      return res.json({
        message: 'Webhook has been created',
        webhook: { urls },
      });
    },
  );

  app.put(
    '/v3/domains/:domain/webhooks/:id',
    auth,
    knownDomain,
    form,
    (req, res) => {
      const hooks = hooksOf(req.params.domain);
      if (!hooks.has(req.params.id)) {
        return res.status(404).json({ message: 'Webhook not found' });
      }
      const urls = urlsOf(req.body?.url);
      if (urls.length === 0 || urls.length > 3) {
        return res.status(400).json({ message: 'url is required (up to 3)' });
      }
      hooks.set(req.params.id, urls);
      return res.json({
        message: 'Webhook has been updated',
        webhook: { urls },
      });
    },
  );

  app.delete(
    '/v3/domains/:domain/webhooks/:id',
    auth,
    knownDomain,
    (req, res) => {
      const hooks = hooksOf(req.params.domain);
      const urls = hooks.get(req.params.id);
      if (!urls) return res.status(404).json({ message: 'Webhook not found' });
      hooks.delete(req.params.id);
      return res.json({
        message: 'Webhook has been deleted',
        webhook: { urls },
      });
    },
  );

  app.get('/v5/accounts/http_signing_key', auth, (_req, res) => {
    res.json({ http_signing_key: state.httpSigningKey });
  });

  const json = express.json({ limit: '5mb' });
  for (const list of ['bounces', 'unsubscribes', 'complaints'] as const) {
    app.post(
      `/v3/:domain/${list}`,
      auth,
      knownDomain,
      json,
      form,
      (req, res) => {
        const entries: Record<string, unknown>[] = Array.isArray(req.body)
          ? req.body
          : [req.body ?? {}];
        for (const entry of entries) {
          const address = String(entry.address ?? '');
          if (!address.includes('@')) {
            return res.status(400).json({ message: 'address is invalid' });
          }
          const { address: _ignored, ...rest } = entry;
          state.suppressionCalls.push({
            action: 'add',
            domain: req.params.domain,
            list,
            address,
            fields: Object.fromEntries(
              Object.entries(rest).map(([k, v]) => [k, String(v)]),
            ),
          });
        }
        return res.json({
          message: `${entries.length} addresses have been added to the ${list} table`,
        });
      },
    );
    app.delete(
      `/v3/:domain/${list}/:address`,
      auth,
      knownDomain,
      (req, res) => {
        // Mailgun answers 404 for an address that is not on the list.
        const last = state.suppressionCalls
          .filter(
            c =>
              c.domain === req.params.domain &&
              c.list === list &&
              c.address === req.params.address,
          )
          .pop();
        if (last?.action !== 'add') {
          return res
            .status(404)
            .json({ message: `Address not found in ${list} table` });
        }
        state.suppressionCalls.push({
          action: 'delete',
          domain: req.params.domain,
          list,
          address: req.params.address,
        });
        return res.json({
          message: 'Address has been removed',
          address: req.params.address,
        });
      },
    );
  }
}
