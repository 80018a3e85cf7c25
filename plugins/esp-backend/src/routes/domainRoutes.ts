import { NotFoundError } from '@backstage/errors';
import {
  addDomainInputSchema,
  espProviderReadPermission,
  espProviderUpdatePermission,
} from '@internal/plugin-esp-common';
import type { Request } from 'express';
import Router from 'express-promise-router';
import type { ProviderOperations } from '../services/ProviderOperations';
import type { RequestContext } from './requestContext';

// Domain ids are provider-issued identifiers; anything else cannot name a
// domain and is answered like a missing one.
const DOMAIN_ID = /^[A-Za-z0-9._-]{1,128}$/;

function domainIdOf(req: Request): string {
  const { domainId } = req.params;
  if (!DOMAIN_ID.test(domainId)) {
    throw new NotFoundError(`Unknown domain '${domainId.slice(0, 128)}'`);
  }
  return domainId;
}

/** A provider's sending domains: list, add, DNS records, verify, remove. */
export function createDomainRoutes(options: {
  context: RequestContext;
  operations: ProviderOperations;
}) {
  const { context, operations } = options;
  const { authorize, parse, audited, providerIdOf } = context;
  const router = Router();

  router.get('/providers/:providerId/domains', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json(await operations.listDomains(providerIdOf(req)));
  });

  router.post('/providers/:providerId/domains', async (req, res) => {
    await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const { name } = parse(addDomainInputSchema, req.body);
    const domain = await audited(
      req,
      'domain-add',
      { providerId, domain: name },
      () => operations.addDomain(providerId, name),
    );
    res.status(201).json(domain);
  });

  router.get('/providers/:providerId/domains/:domainId', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json(await operations.getDomain(providerIdOf(req), domainIdOf(req)));
  });

  router.post(
    '/providers/:providerId/domains/:domainId/verify',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const domainId = domainIdOf(req);
      res.json(
        await audited(req, 'domain-verify', { providerId, domainId }, () =>
          operations.verifyDomain(providerId, domainId),
        ),
      );
    },
  );

  router.delete(
    '/providers/:providerId/domains/:domainId',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const domainId = domainIdOf(req);
      await audited(req, 'domain-remove', { providerId, domainId }, () =>
        operations.removeDomain(providerId, domainId),
      );
      res.status(204).end();
    },
  );

  return router;
}
