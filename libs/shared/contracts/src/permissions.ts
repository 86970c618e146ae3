/**
 * The permission vocabulary shared by the API (guards) and the console (what to show).
 * Framework-free: no imports.
 */
export const Permission = {
  UsersRead: 'users:read',
  UsersInvite: 'users:invite',
  UsersWrite: 'users:write',
  UsersDelete: 'users:delete',
  UsersExport: 'users:export',
  UsersSecurity: 'users:security',
  TeamsRead: 'teams:read',
  TeamsWrite: 'teams:write',
  RolesRead: 'roles:read',
  RolesGrantAdmin: 'roles:grant-admin',
  AuditRead: 'audit:read',
  TokensCreate: 'tokens:create',
  TokensManageAll: 'tokens:manage-all',
  SsoManage: 'sso:manage',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

export const RoleKey = {
  Admin: 'ADMIN',
  Manager: 'MANAGER',
  Member: 'MEMBER',
  Viewer: 'VIEWER',
} as const;

export type RoleKey = (typeof RoleKey)[keyof typeof RoleKey];

const READ: readonly Permission[] = [Permission.UsersRead, Permission.TeamsRead, Permission.RolesRead];

/** Built-in roles, seeded by a migration. Admin is everything. */
export const BUILT_IN_ROLES: Readonly<Record<RoleKey, { name: string; permissions: readonly Permission[] }>> = {
  ADMIN: { name: 'Admin', permissions: ALL_PERMISSIONS },
  MANAGER: {
    name: 'Manager',
    permissions: [
      ...READ,
      Permission.UsersInvite,
      Permission.UsersWrite,
      Permission.UsersDelete,
      Permission.UsersExport,
      Permission.TeamsWrite,
      Permission.TokensCreate,
    ],
  },
  MEMBER: { name: 'Member', permissions: [...READ, Permission.TokensCreate] },
  VIEWER: { name: 'Viewer', permissions: READ },
};

export const PermissionLevel = {
  FullAccess: 'FULL_ACCESS',
  ManageUsers: 'MANAGE_USERS',
  Standard: 'STANDARD',
  ReadOnly: 'READ_ONLY',
  None: 'NONE',
} as const;

export type PermissionLevel = (typeof PermissionLevel)[keyof typeof PermissionLevel];

/** A quick, human-readable level derived from a permission set (the users table's "Permissions" column). */
export function permissionLevel(permissions: readonly string[]): PermissionLevel {
  const has = new Set(permissions);
  if (ALL_PERMISSIONS.every((p) => has.has(p))) return PermissionLevel.FullAccess;
  if (has.has(Permission.UsersWrite) || has.has(Permission.UsersInvite)) return PermissionLevel.ManageUsers;
  if (has.has(Permission.TokensCreate)) return PermissionLevel.Standard;
  if (has.has(Permission.UsersRead)) return PermissionLevel.ReadOnly;
  return PermissionLevel.None;
}

/** A person may hand out a role only if they hold every permission it carries (so Managers cannot grant Admin). */
export function canGrantRole(granted: readonly string[], rolePermissions: readonly string[]): boolean {
  return rolePermissions.every((p) => granted.includes(p));
}
