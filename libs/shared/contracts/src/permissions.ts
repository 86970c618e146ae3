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
  RolesManage: 'roles:manage',
  AuditRead: 'audit:read',
  TokensCreate: 'tokens:create',
  TokensManageAll: 'tokens:manage-all',
  SsoManage: 'sso:manage',
  OidcClientsManage: 'oidc-clients:manage',
  WebhooksManage: 'webhooks:manage',
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
  // A custom set: anything it may change makes it standard; reading alone, read-only; nothing, none.
  if (permissions.some((p) => !p.endsWith(':read'))) return PermissionLevel.Standard;
  if (has.size > 0) return PermissionLevel.ReadOnly;
  return PermissionLevel.None;
}

/** A person may hand out a role only if they hold every permission it carries (so Managers cannot grant Admin). */
export function canGrantRole(granted: readonly string[], rolePermissions: readonly string[]): boolean {
  return rolePermissions.every((p) => granted.includes(p));
}

/** Whether a permission set lets its holder manage the organization: roles and people (the last one keeps it). */
export function canManageOrganization(permissions: readonly string[]): boolean {
  return permissions.includes(Permission.RolesManage) && permissions.includes(Permission.UsersWrite);
}

const LEVEL_ORDER: readonly PermissionLevel[] = Object.values(PermissionLevel);

/**
 * A sort key summarising a permission set (lower first): by level, then larger sets first. The users
 * page sorts its Role and Permissions columns by it; it orders sets, it decides nothing. It does not
 * depend on the size of the vocabulary, so a new permission changes the key of the roles whose level
 * it changes (and of the Admin roles, which gain it), not of every role: their holders' copies are
 * rewritten at start-up.
 */
export function roleSortRank(permissions: readonly string[]): number {
  const known = new Set(permissions.filter((p) => (ALL_PERMISSIONS as readonly string[]).includes(p)));
  return LEVEL_ORDER.indexOf(permissionLevel(permissions)) * 100 + (99 - Math.min(known.size, 99));
}

/** The area of a permission (its part before ":"): the Roles page groups permissions by it. */
export function permissionArea(permission: string): string {
  return permission.split(':')[0];
}

interface PermissionText {
  label: string;
  description: string;
}

/**
 * What each permission means, in each language of the console. A permission added above without its
 * texts does not compile: the Roles page shows every permission of the vocabulary.
 */
export const PERMISSION_TEXTS: Readonly<Record<Permission, Readonly<Record<'en' | 'fr', PermissionText>>>> = {
  'users:read': {
    en: { label: 'See people', description: 'List the people of the organization, their roles and teams.' },
    fr: { label: 'Voir les personnes', description: 'Lister les personnes de l’organisation, leurs rôles et leurs équipes.' },
  },
  'users:invite': {
    en: { label: 'Invite people', description: 'Send invitations, one at a time or in bulk, and revoke them.' },
    fr: { label: 'Inviter des personnes', description: 'Envoyer des invitations, une à une ou en masse, et les révoquer.' },
  },
  'users:write': {
    en: { label: 'Edit people', description: 'Change names, roles and teams; deactivate and reactivate people.' },
    fr: { label: 'Modifier les personnes', description: 'Changer noms, rôles et équipes ; désactiver et réactiver des personnes.' },
  },
  'users:delete': {
    en: { label: 'Remove people', description: 'Remove people from the organization for good.' },
    fr: { label: 'Retirer des personnes', description: 'Retirer définitivement des personnes de l’organisation.' },
  },
  'users:export': {
    en: { label: 'Export people', description: 'Download the list of people as a CSV file.' },
    fr: { label: 'Exporter les personnes', description: 'Télécharger la liste des personnes au format CSV.' },
  },
  'users:security': {
    en: {
      label: 'Manage sign-in security',
      description: 'Reset passwords and two-factor authentication, end sessions, set the two-factor policy.',
    },
    fr: {
      label: 'Gérer la sécurité de connexion',
      description:
        'Réinitialiser mots de passe et double authentification, fermer des sessions, fixer la politique de double authentification.',
    },
  },
  'teams:read': {
    en: { label: 'See teams', description: 'List the teams and their members.' },
    fr: { label: 'Voir les équipes', description: 'Lister les équipes et leurs membres.' },
  },
  'teams:write': {
    en: { label: 'Manage teams', description: 'Create, rename and delete teams.' },
    fr: { label: 'Gérer les équipes', description: 'Créer, renommer et supprimer des équipes.' },
  },
  'roles:read': {
    en: { label: 'See roles', description: 'List the roles and the permissions they grant.' },
    fr: { label: 'Voir les rôles', description: 'Lister les rôles et les permissions qu’ils donnent.' },
  },
  'roles:manage': {
    en: { label: 'Manage roles', description: 'Create, edit and delete roles, within your own permissions.' },
    fr: { label: 'Gérer les rôles', description: 'Créer, modifier et supprimer des rôles, dans la limite de vos permissions.' },
  },
  'audit:read': {
    en: { label: 'Read the audit log', description: 'See and export who did what, and when.' },
    fr: { label: 'Consulter le journal d’audit', description: 'Voir et exporter qui a fait quoi, et quand.' },
  },
  'tokens:create': {
    en: { label: 'Create API tokens', description: 'Create personal API tokens, capped to your permissions.' },
    fr: { label: 'Créer des jetons d’API', description: 'Créer des jetons d’API personnels, limités à vos permissions.' },
  },
  'tokens:manage-all': {
    en: { label: 'Manage all API tokens', description: 'See and revoke the API tokens of everyone you manage.' },
    fr: { label: 'Gérer tous les jetons d’API', description: 'Voir et révoquer les jetons d’API des personnes que vous gérez.' },
  },
  'sso:manage': {
    en: { label: 'Manage single sign-on', description: 'Set up the organization’s identity provider (single sign-on).' },
    fr: {
      label: 'Gérer l’authentification unique',
      description: 'Configurer le fournisseur d’identité de l’organisation (authentification unique).',
    },
  },
  'oidc-clients:manage': {
    en: {
      label: 'Manage applications signing in through Roster',
      description: 'Register the applications (OpenID Connect clients) whose people sign in with Roster, and their secrets.',
    },
    fr: {
      label: 'Gérer les applications qui se connectent par Roster',
      description: 'Enregistrer les applications (clients OpenID Connect) dont les personnes se connectent avec Roster, et leurs secrets.',
    },
  },
  'webhooks:manage': {
    en: {
      label: 'Manage webhooks',
      description: 'Register the addresses that receive the organization’s events, and read their deliveries.',
    },
    fr: {
      label: 'Gérer les webhooks',
      description: 'Enregistrer les adresses qui reçoivent les événements de l’organisation, et consulter leurs livraisons.',
    },
  },
};
