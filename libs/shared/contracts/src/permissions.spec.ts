import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLES,
  canGrantRole,
  canManageOrganization,
  Permission,
  PERMISSION_TEXTS,
  permissionArea,
  permissionLevel,
  PermissionLevel,
  roleSortRank,
} from './permissions';

describe('permissions', () => {
  it('derives a level for each built-in role', () => {
    expect(permissionLevel(BUILT_IN_ROLES.ADMIN.permissions)).toBe(PermissionLevel.FullAccess);
    expect(permissionLevel(BUILT_IN_ROLES.MANAGER.permissions)).toBe(PermissionLevel.ManageUsers);
    expect(permissionLevel(BUILT_IN_ROLES.MEMBER.permissions)).toBe(PermissionLevel.Standard);
    expect(permissionLevel(BUILT_IN_ROLES.VIEWER.permissions)).toBe(PermissionLevel.ReadOnly);
    expect(permissionLevel([])).toBe(PermissionLevel.None);
  });

  it('summarises custom sets by what they may do, never "no access" for a set that grants something', () => {
    expect(permissionLevel([Permission.TeamsRead])).toBe(PermissionLevel.ReadOnly);
    expect(permissionLevel([Permission.AuditRead, Permission.RolesRead])).toBe(PermissionLevel.ReadOnly);
    expect(permissionLevel([Permission.TeamsWrite])).toBe(PermissionLevel.Standard);
    expect(permissionLevel([Permission.UsersRead, Permission.SsoManage])).toBe(PermissionLevel.Standard);
    expect(permissionLevel([Permission.UsersInvite])).toBe(PermissionLevel.ManageUsers);
    for (const p of ALL_PERMISSIONS) expect(permissionLevel([p])).not.toBe(PermissionLevel.None);
  });

  it('lets a Manager grant Member but not Admin', () => {
    const manager = BUILT_IN_ROLES.MANAGER.permissions;
    expect(canGrantRole(manager, BUILT_IN_ROLES.MEMBER.permissions)).toBe(true);
    expect(canGrantRole(manager, BUILT_IN_ROLES.VIEWER.permissions)).toBe(true);
    expect(canGrantRole(manager, BUILT_IN_ROLES.ADMIN.permissions)).toBe(false);
    expect(canGrantRole(BUILT_IN_ROLES.ADMIN.permissions, BUILT_IN_ROLES.ADMIN.permissions)).toBe(true);
  });
});

describe('custom roles', () => {
  it('sorts the built-in roles most powerful first by their summary', () => {
    const ranks = (['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER'] as const).map((k) => roleSortRank(BUILT_IN_ROLES[k].permissions));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(4);
  });

  it('says who may manage the organization: roles and people together', () => {
    expect(canManageOrganization(BUILT_IN_ROLES.ADMIN.permissions)).toBe(true);
    expect(canManageOrganization(BUILT_IN_ROLES.MANAGER.permissions)).toBe(false);
    expect(canManageOrganization([Permission.RolesManage])).toBe(false);
    expect(canManageOrganization([Permission.RolesManage, Permission.UsersWrite])).toBe(true);
  });

  it('explains every permission in both languages, grouped by area', () => {
    for (const p of ALL_PERMISSIONS) {
      for (const language of ['en', 'fr'] as const) {
        expect(PERMISSION_TEXTS[p][language].label.length).toBeGreaterThan(0);
        expect(PERMISSION_TEXTS[p][language].description.length).toBeGreaterThan(0);
      }
      expect(p.startsWith(`${permissionArea(p)}:`)).toBe(true);
    }
  });
});
