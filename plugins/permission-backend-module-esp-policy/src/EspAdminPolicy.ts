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
import { isEspPermissionName } from '@internal/plugin-esp-common';

/**
 * Grants ESP Hub's permissions only to the configured admins and leaves every
 * other permission as the portal had it (allowed), so installing ESP Hub does not
 * change who may use the catalog. Admins hold all of them: `esp.administer`
 * (the admin pages), the provider/routing/webhook/analytics permissions, and
 * `esp.message.send`, so an admin may send through ESP Hub as well as configure
 * it. Services never reach this policy (the permission framework allows them
 * outright), which is why the configuration routes accept users only.
 */
export class EspAdminPolicy implements PermissionPolicy {
  private readonly admins: Set<string>;

  constructor(admins: string[], private readonly userInfo: UserInfoService) {
    // Entity refs compare case-insensitively in Backstage.
    this.admins = new Set(admins.map(ref => ref.toLocaleLowerCase('en-US')));
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
    const { ownershipEntityRefs, userEntityRef } =
      await this.userInfo.getUserInfo(user.credentials);
    const refs = [userEntityRef, ...ownershipEntityRefs].map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    return {
      result: refs.some(ref => this.admins.has(ref))
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  }
}

function isUserCredentials(
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> {
  const principal = credentials.principal as { type?: string } | undefined;
  return principal?.type === 'user';
}
