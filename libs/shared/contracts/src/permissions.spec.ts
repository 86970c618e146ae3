import { BUILT_IN_ROLES, canGrantRole, permissionLevel, PermissionLevel } from './permissions';

describe('permissions', () => {
  it('derives a level for each built-in role', () => {
    expect(permissionLevel(BUILT_IN_ROLES.ADMIN.permissions)).toBe(PermissionLevel.FullAccess);
    expect(permissionLevel(BUILT_IN_ROLES.MANAGER.permissions)).toBe(PermissionLevel.ManageUsers);
    expect(permissionLevel(BUILT_IN_ROLES.MEMBER.permissions)).toBe(PermissionLevel.Standard);
    expect(permissionLevel(BUILT_IN_ROLES.VIEWER.permissions)).toBe(PermissionLevel.ReadOnly);
    expect(permissionLevel([])).toBe(PermissionLevel.None);
  });

  it('lets a Manager grant Member but not Admin', () => {
    const manager = BUILT_IN_ROLES.MANAGER.permissions;
    expect(canGrantRole(manager, BUILT_IN_ROLES.MEMBER.permissions)).toBe(true);
    expect(canGrantRole(manager, BUILT_IN_ROLES.VIEWER.permissions)).toBe(true);
    expect(canGrantRole(manager, BUILT_IN_ROLES.ADMIN.permissions)).toBe(false);
    expect(canGrantRole(BUILT_IN_ROLES.ADMIN.permissions, BUILT_IN_ROLES.ADMIN.permissions)).toBe(true);
  });
});
