/**
 * The audit actions the API records, shared by the API (`AuditService.record` takes only these) and the
 * console (the audit log names each in words). Framework-free: no imports.
 *
 * Each action says whose log it goes to: an organization's (its admins read it, webhooks may receive it),
 * the platform's (organizations and operators: no organization owns the event), or both (an export of
 * either log is recorded in the log it exported).
 */
export type AuditScope = 'organization' | 'platform';

const ORGANIZATION = ['organization'] as const;
const PLATFORM = ['platform'] as const;

export const AUDIT_ACTIONS = {
  'api_token.created': ORGANIZATION,
  'api_token.revoked': ORGANIZATION,
  'audit.exported': ['organization', 'platform'],
  'email.failed': ORGANIZATION,
  'invitation.accepted': ORGANIZATION,
  'invitation.created': ORGANIZATION,
  'invitation.regenerated': ORGANIZATION,
  'invitation.revoked': ORGANIZATION,
  'oidc_client.created': ORGANIZATION,
  'oidc_client.deleted': ORGANIZATION,
  'oidc_client.secret_rotated': ORGANIZATION,
  'oidc_client.updated': ORGANIZATION,
  'operator.granted': PLATFORM,
  'operator.revoked': PLATFORM,
  'organization.created': PLATFORM,
  'organization.deleted': PLATFORM,
  'organization.domains_changed': PLATFORM,
  'organization.reactivated': PLATFORM,
  'organization.renamed': PLATFORM,
  'organization.suspended': PLATFORM,
  'role.created': ORGANIZATION,
  'role.deleted': ORGANIZATION,
  'role.updated': ORGANIZATION,
  'session.others_revoked': ORGANIZATION,
  'session.revoked': ORGANIZATION,
  'setup.first_admin': ORGANIZATION,
  'sso_connection.changed': ORGANIZATION,
  'sso_connection.deleted': ORGANIZATION,
  'team.created': ORGANIZATION,
  'team.deleted': ORGANIZATION,
  'team.members_changed': ORGANIZATION,
  'team.renamed': ORGANIZATION,
  'two_factor_policy.changed': ORGANIZATION,
  'user.2fa_disabled': ORGANIZATION,
  'user.2fa_enabled': ORGANIZATION,
  'user.2fa_reset': ORGANIZATION,
  'user.deactivated': ORGANIZATION,
  'user.deleted': ORGANIZATION,
  'user.email_changed': ORGANIZATION,
  'user.password_changed': ORGANIZATION,
  'user.password_reset': ORGANIZATION,
  'user.password_reset_created': ORGANIZATION,
  'user.password_reset_requested': ORGANIZATION,
  'user.provisioned': ORGANIZATION,
  'user.reactivated': ORGANIZATION,
  'user.role_changed': ORGANIZATION,
  'user.sessions_revoked': ORGANIZATION,
  'user.sso_joined': ORGANIZATION,
  'user.sso_linked': ORGANIZATION,
  'user.sso_signed_up': ORGANIZATION,
  'user.updated': ORGANIZATION,
  'users.exported': ORGANIZATION,
  'webhook_delivery.redelivered': ORGANIZATION,
  'webhook_endpoint.created': ORGANIZATION,
  'webhook_endpoint.deleted': ORGANIZATION,
  'webhook_endpoint.disabled': ORGANIZATION,
  'webhook_endpoint.secret_rotated': ORGANIZATION,
  'webhook_endpoint.updated': ORGANIZATION,
} as const satisfies Readonly<Record<string, readonly AuditScope[]>>;

/** An action of the catalogue: `AuditService.record` takes nothing else, so a new action is added here first. */
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** Every action of the catalogue, in alphabetical order. */
export const AUDIT_ACTION_NAMES: readonly AuditAction[] = (Object.keys(AUDIT_ACTIONS) as AuditAction[]).sort();

/** Whether `action` is one of the catalogue (an event recorded before an action was renamed is not). */
export function isAuditAction(action: string): action is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, action);
}

/** The events a webhook endpoint may subscribe to: the organization's actions, in alphabetical order. */
export const WEBHOOK_EVENT_TYPES: readonly AuditAction[] = AUDIT_ACTION_NAMES.filter((a) =>
  (AUDIT_ACTIONS[a] as readonly AuditScope[]).includes('organization'),
);
