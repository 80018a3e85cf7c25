import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  addDomainInputSchema,
  addressValidationInputSchema,
  credentialCheckInputSchema,
  describeValidationError,
  espProviderReadPermission,
  espProviderUpdatePermission,
  isConfigurableProviderId,
  providerEnabledInputSchema,
  testEmailInputSchema,
} from '@internal/plugin-esp-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import type { z } from 'zod';
import { jsonBody } from './lib/jsonBody';
import { passOnRetryAfter } from './lib/TooManyRequestsError';
import type { ProviderConfigService } from './services/ProviderConfigService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
  service: ProviderConfigService;
  logger: LoggerService;
}

type AuditMeta = NonNullable<AuditorServiceCreateEventOptions['meta']>;

// Provider ids are short words and domain ids are provider-issued identifiers;
// anything else cannot name a resource and is answered like a missing one.
const DOMAIN_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The ESP Hub admin API (see docs/api.md). Business logic lives in the service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, userInfo, permissions, auditor, service } = options;
  const router = Router();
  // Config bodies are small; only an uploaded address list (CSV text) is larger.
  router.use('/providers/:providerId/address-validations', jsonBody('2mb'));
  router.use(jsonBody('64kb'));

  async function authorize(
    req: Request,
    permission: BasicPermission,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('Unauthorized');
    }
    return credentials;
  }

  /** Who made a change, as stored in `updatedBy`: a user entity ref or a service subject. */
  async function actorOf(credentials: BackstageCredentials): Promise<string> {
    const principal = credentials.principal as {
      type: string;
      subject?: string;
    };
    if (principal.type === 'user') {
      return (await userInfo.getUserInfo(credentials)).userEntityRef;
    }
    return principal.subject ?? 'unknown';
  }

  function providerIdOf(req: Request): string {
    const { providerId } = req.params;
    if (!isConfigurableProviderId(providerId)) {
      throw new NotFoundError(
        `Unknown or unavailable provider '${providerId}'`,
      );
    }
    return providerId;
  }

  function domainIdOf(req: Request): string {
    const { domainId } = req.params;
    if (!DOMAIN_ID.test(domainId)) {
      throw new NotFoundError(`Unknown domain '${domainId.slice(0, 128)}'`);
    }
    return domainId;
  }

  function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
    const result = schema.safeParse(body ?? {});
    if (!result.success) {
      throw new InputError(describeValidationError(result.error));
    }
    return result.data;
  }

  /** Records a change with the auditor; `meta` must never carry a secret. */
  async function audited<T>(
    req: Request,
    eventId: string,
    meta: AuditMeta,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/providers', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json({ providers: await service.listSummaries() });
  });

  router.get('/providers/:providerId', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json(await service.getConfig(providerIdOf(req)));
  });

  router.post('/providers/:providerId', async (req, res) => {
    const credentials = await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const input = parse(service.inputSchemaOf(providerId), req.body) as Record<
      string,
      unknown
    >;
    const meta = { providerId, secrets: describeSecretChanges(input) };
    const actor = await actorOf(credentials);
    res.json(
      await audited(req, 'provider-config-update', meta, () =>
        service.saveConfig(providerId, input, actor),
      ),
    );
  });

  router.post(
    '/providers/:providerId/credentials/validate',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const { apiKey } = parse(credentialCheckInputSchema, req.body);
      res.json(await service.validateCredentials(providerId, apiKey));
    },
  );

  router.post('/providers/:providerId/test', async (req, res) => {
    await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    res.json(
      await audited(req, 'provider-connection-test', { providerId }, () =>
        service.testConnection(providerId),
      ),
    );
  });

  router.put('/providers/:providerId/enabled', async (req, res) => {
    const credentials = await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const { enabled } = parse(providerEnabledInputSchema, req.body);
    const actor = await actorOf(credentials);
    res.json(
      await audited(req, 'provider-enable', { providerId, enabled }, () =>
        service.setEnabled(providerId, enabled, actor),
      ),
    );
  });

  router.get('/providers/:providerId/message-streams', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json({ streams: await service.listMessageStreams(providerIdOf(req)) });
  });

  router.get('/providers/:providerId/domains', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json(await service.listDomains(providerIdOf(req)));
  });

  router.post('/providers/:providerId/domains', async (req, res) => {
    await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const { name } = parse(addDomainInputSchema, req.body);
    const domain = await audited(
      req,
      'domain-add',
      { providerId, domain: name },
      () => service.addDomain(providerId, name),
    );
    res.status(201).json(domain);
  });

  router.get('/providers/:providerId/domains/:domainId', async (req, res) => {
    await authorize(req, espProviderReadPermission);
    res.json(await service.getDomain(providerIdOf(req), domainIdOf(req)));
  });

  router.post(
    '/providers/:providerId/domains/:domainId/verify',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const domainId = domainIdOf(req);
      res.json(
        await audited(req, 'domain-verify', { providerId, domainId }, () =>
          service.verifyDomain(providerId, domainId),
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
        service.removeDomain(providerId, domainId),
      );
      res.status(204).end();
    },
  );

  router.post('/providers/:providerId/test-email', async (req, res) => {
    await authorize(req, espProviderUpdatePermission);
    const providerId = providerIdOf(req);
    const input = parse(testEmailInputSchema, req.body);
    // The recipient is personal data the admin typed in; the audit log only needs its domain.
    const meta = {
      providerId,
      recipientDomain: input.to.split('@').pop() ?? '',
    };
    res.json(
      await audited(req, 'test-email', meta, () =>
        service.sendTestEmail(providerId, input),
      ),
    );
  });

  router.post(
    '/providers/:providerId/address-validations',
    async (req, res) => {
      await authorize(req, espProviderUpdatePermission);
      const providerId = providerIdOf(req);
      const { csv } = parse(addressValidationInputSchema, req.body);
      // Validation is billed per address, so who started one is worth recording.
      const job = await audited(req, 'address-validation', { providerId }, () =>
        service.startAddressValidation(providerId, csv),
      );
      res.status(202).json(job);
    },
  );

  router.get(
    '/providers/:providerId/address-validations/:jobId',
    async (req, res) => {
      await authorize(req, espProviderReadPermission);
      res.json(
        await service.getAddressValidation(providerIdOf(req), req.params.jobId),
      );
    },
  );

  router.get(
    '/providers/:providerId/address-validations/:jobId/results.csv',
    async (req, res) => {
      await authorize(req, espProviderReadPermission);
      const csv = await service.addressValidationCsv(
        providerIdOf(req),
        req.params.jobId,
      );
      res.type('text/csv').attachment('address-validation.csv').send(csv);
    },
  );

  // A provider rate limit answers 429; this adds the provider's Retry-After.
  router.use(passOnRetryAfter);

  return router;
}

const SECRET_FIELDS = ['serverToken', 'accountToken', 'apiKey', 'password'];

/** Which secrets a save changes, never their values: e.g. `{ serverToken: 'replaced' }`. */
function describeSecretChanges(input: Record<string, unknown>) {
  const changes: Record<string, string> = {};
  for (const field of SECRET_FIELDS) {
    if (!(field in input)) continue;
    changes[field] = input[field] === null ? 'removed' : 'replaced';
  }
  return changes;
}
