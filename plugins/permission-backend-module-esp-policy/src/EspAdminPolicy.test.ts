import {
  BackstageCredentials,
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  espAdministerPermission,
  espMessageSendPermission,
  espPermissions,
  espProviderUpdatePermission,
  espStatusReadPermission,
} from '@internal/plugin-esp-common';
import { EspAdminPolicy } from './EspAdminPolicy';

/** Answers with the memberships a catalog would resolve for each user. */
class MembershipUserInfo implements UserInfoService {
  constructor(private readonly memberships: Record<string, string[]>) {}

  async getUserInfo(
    credentials: BackstageCredentials,
  ): Promise<BackstageUserInfo> {
    const principal = credentials.principal as { userEntityRef: string };
    const groups = this.memberships[principal.userEntityRef] ?? [];
    return {
      userEntityRef: principal.userEntityRef,
      ownershipEntityRefs: [principal.userEntityRef, ...groups],
    };
  }
}

const userInfo = new MembershipUserInfo({
  'user:default/alice': ['group:default/esp-admins'],
  'user:default/bob': ['group:default/developers'],
  'user:default/carol': [],
});

const asUser = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [] },
});

const catalogRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});

describe('EspAdminPolicy', () => {
  const policy = new EspAdminPolicy(
    ['group:default/ESP-Admins', 'user:default/carol'],
    userInfo,
  );

  it.each(espPermissions.map(p => [p.name, p]))(
    'allows %s to a member of an admin group',
    async (_name, permission) => {
      const decision = await policy.handle(
        { permission },
        asUser('user:default/alice'),
      );
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    },
  );

  // The admin pages are guarded by the umbrella permission, and an admin may send
  // mail (the send API checks esp.message.send): both go with the rest.
  it.each([
    ['esp.administer', espAdministerPermission],
    ['esp.message.send', espMessageSendPermission],
  ])('grants %s to admins only', async (_name, permission) => {
    expect(espPermissions).toContain(permission);
    const admin = await policy.handle(
      { permission },
      asUser('user:default/alice'),
    );
    expect(admin.result).toBe(AuthorizeResult.ALLOW);
    const other = await policy.handle(
      { permission },
      asUser('user:default/bob'),
    );
    expect(other.result).toBe(AuthorizeResult.DENY);
  });

  it('allows a user named directly as an admin', async () => {
    const decision = await policy.handle(
      { permission: espProviderUpdatePermission },
      asUser('user:default/carol'),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('denies ESP permissions but the status to a user outside the admin groups', async () => {
    for (const permission of espPermissions) {
      if (permission === espStatusReadPermission) continue;
      const decision = await policy.handle(
        { permission },
        asUser('user:default/bob'),
      );
      expect(decision.result).toBe(AuthorizeResult.DENY);
    }
  });

  it('denies ESP permissions to a service principal', async () => {
    const decision = await policy.handle(
      { permission: espProviderUpdatePermission },
      {
        credentials: mockCredentials.service('plugin:catalog'),
        info: { userEntityRef: '', ownershipEntityRefs: [] },
      },
    );
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it('denies ESP permissions without a user', async () => {
    const decision = await policy.handle({
      permission: espProviderUpdatePermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it('leaves the rest of the portal open to everyone', async () => {
    const decision = await policy.handle(
      { permission: catalogRead },
      asUser('user:default/bob'),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  describe('the status summary (esp.status.read)', () => {
    it('is granted to every signed-in user by default', async () => {
      for (const ref of ['user:default/bob', 'user:default/nobody']) {
        const decision = await policy.handle(
          { permission: espStatusReadPermission },
          asUser(ref),
        );
        expect(decision.result).toBe(AuthorizeResult.ALLOW);
      }
      const anonymous = await policy.handle({
        permission: espStatusReadPermission,
      });
      expect(anonymous.result).toBe(AuthorizeResult.DENY);
    });

    it('is granted to the configured readers and the admins only, when readers are configured', async () => {
      const restricted = new EspAdminPolicy(
        ['group:default/esp-admins'],
        new MembershipUserInfo({
          'user:default/alice': ['group:default/esp-admins'],
          'user:default/olga': ['group:default/ops'],
          'user:default/bob': ['group:default/developers'],
        }),
        { statusReaders: ['group:default/Ops'] },
      );
      const decide = async (
        ref: string,
        permission = espStatusReadPermission,
      ) => (await restricted.handle({ permission }, asUser(ref))).result;
      expect(await decide('user:default/olga')).toBe(AuthorizeResult.ALLOW);
      expect(await decide('user:default/alice')).toBe(AuthorizeResult.ALLOW);
      expect(await decide('user:default/bob')).toBe(AuthorizeResult.DENY);
      // Reading the status gives no settings.
      expect(
        await decide('user:default/olga', espProviderUpdatePermission),
      ).toBe(AuthorizeResult.DENY);
      expect(await decide('user:default/olga', espAdministerPermission)).toBe(
        AuthorizeResult.DENY,
      );
    });
  });

  it('grants nothing when no admins are configured', async () => {
    const empty = new EspAdminPolicy([], userInfo);
    const decision = await empty.handle(
      { permission: espProviderUpdatePermission },
      asUser('user:default/alice'),
    );
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });
});
