import {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  espStatusReadPermission,
  isEspPermissionName,
} from '@internal/plugin-esp-common';

/**
 * Grants ESP Hub's permissions only to the configured admins and leaves every
 * other permission as the portal had it (allowed), so installing ESP Hub does not
 * change who may use the catalog. Admins hold all of them: `esp.administer`
 * (the admin pages), the provider/routing/webhook/analytics permissions, and
 * `esp.message.send`, so an admin may send through ESP Hub as well as configure
 * it. Services never reach this policy (the permission framework allows them
 * outright), which is why the configuration routes accept users only.
 *
 * The one exception is `esp.status.read`, the providers' status that the
 * catalog's entity card shows: every signed-in user holds it, unless
 * `statusReaders` names who does (e.g. an ops group); admins always do.
 */
export class EspAdminPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;
  private readonly statusReaders: Set<string> | undefined;

  constructor(
    admins: string[],
    private readonly userInfo: UserInfoService,
    options?: {
      /** Who may read the providers' status; absent: every signed-in user. */
      statusReaders?: string[];
    },
  ) {
    this.admins = refSet(admins);
    this.statusReaders = options?.statusReaders
      ? refSet(options.statusReaders)
      : undefined;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!isEspPermissionName(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user || !isUserCredentials(user.credentials)) {
      return { result: AuthorizeResult.DENY };
    }
    const isStatusRead =
      request.permission.name === espStatusReadPermission.name;
    if (isStatusRead && !this.statusReaders) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { ownershipEntityRefs, userEntityRef } =
      await this.userInfo.getUserInfo(user.credentials);
    const refs = [userEntityRef, ...ownershipEntityRefs].map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    const allowed =
      refs.some(ref => this.admins.has(ref)) ||
      (isStatusRead && refs.some(ref => this.statusReaders!.has(ref)));
    return {
      result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    };
  }
}

// Entity refs compare case-insensitively in Backstage.
function refSet(refs: string[]): Set<string> {
  return new Set(refs.map(ref => ref.toLocaleLowerCase('en-US')));
}

function isUserCredentials(
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> {
  const principal = credentials.principal as { type?: string } | undefined;
  return principal?.type === 'user';
}
