import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  ConfigurableProviderId,
  describeValidationError,
  isConfigurableProviderId,
} from '@internal/plugin-esp-common';
import type { Request } from 'express';
import type { z } from 'zod';

export type AuditMeta = NonNullable<AuditorServiceCreateEventOptions['meta']>;

export type RequestContextOptions = {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  auditor: AuditorService;
};

/**
 * What every admin route does before and around its work: who is asking, may
 * they, is the body well formed, and a record of the change.
 */
export type RequestContext = {
  /**
   * The caller's credentials once the permission allows them; users only.
   * Backstage's permission framework allows every service principal without
   * asking the policy, so services (and external access tokens) are refused
   * here with 403, before any permission check.
   */
  authorize(
    req: Request,
    permission: BasicPermission,
  ): Promise<BackstageCredentials<BackstageUserPrincipal>>;
  /**
   * For the read-only status summary, the one route other plugins call (the
   * catalog module, with its service token): a service principal is let in,
   * a user needs the permission. Every other route uses `authorize`.
   */
  authorizeUserOrService(
    req: Request,
    permission: BasicPermission,
  ): Promise<void>;
  /**
   * For the send API and message status, meant for services: users and
   * service principals alike, and the permission framework is asked for
   * both, so that an external access token whose `accessRestrictions` leave
   * the permission out is refused (403). Returns who is asking: a user's
   * entity ref, or the service's subject.
   */
  authorizeSender(req: Request, permission: BasicPermission): Promise<string>;
  /** Who made a change, as stored in `updatedBy`: the user's entity ref. */
  actorOf(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<string>;
  /** The body as the schema reads it; a 400 naming each bad field otherwise. */
  parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S>;
  /**
   * Runs a change and records it with the auditor; `meta` must never carry a
   * secret. `outcome` adds what is only known once it succeeded (e.g. the
   * version a save made).
   */
  audited<T>(
    req: Request,
    eventId: string,
    meta: AuditMeta,
    fn: () => Promise<T>,
    outcome?: (result: T) => AuditMeta,
  ): Promise<T>;
  /** The `:providerId` of the path; 404 for an id that names no provider. */
  providerIdOf(req: Request): ConfigurableProviderId;
};

export function createRequestContext(
  options: RequestContextOptions,
): RequestContext {
  const { httpAuth, userInfo, permissions, auditor } = options;
  return {
    async authorize(req, permission) {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError('Unauthorized');
      }
      return credentials;
    },

    async authorizeUserOrService(req, permission) {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      if (credentials.principal.type === 'service') return;
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError('Unauthorized');
      }
    },

    async authorizeSender(req, permission) {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError('Unauthorized');
      }
      const { principal } = credentials;
      return principal.type === 'user'
        ? principal.userEntityRef
        : principal.subject;
    },

    async actorOf(credentials) {
      return (await userInfo.getUserInfo(credentials)).userEntityRef;
    },

    parse(schema, body) {
      const result = schema.safeParse(body ?? {});
      if (!result.success) {
        throw new InputError(describeValidationError(result.error));
      }
      return result.data;
    },

    async audited(req, eventId, meta, fn, outcome) {
      const event = await auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        request: req,
        meta,
      });
      try {
        const result = await fn();
        if (outcome) {
          await event.success({ meta: { ...meta, ...outcome(result) } });
        } else {
          await event.success();
        }
        return result;
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },

    providerIdOf(req) {
      const { providerId } = req.params;
      if (!isConfigurableProviderId(providerId)) {
        throw new NotFoundError(
          `Unknown or unavailable provider '${providerId}'`,
        );
      }
      return providerId;
    },
  };
}
