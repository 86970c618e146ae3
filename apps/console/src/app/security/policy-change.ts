/** One role under the two-factor policy, as the API reports it. */
export interface RolePolicy {
  role: { id: string; key: string; name: string };
  required: boolean;
  activeMembers: number;
  /** Active people of the role who would be sent to the two-factor set-up if it were required. */
  affected: number;
}

/** What saving the staged policy does. */
export interface PolicyChange {
  /** Roles this save turns on. */
  newlyRequired: RolePolicy[];
  /** People sent to the two-factor set-up at their next request (over the roles turned on). */
  affected: number;
  /** The signed-in person's own role is turned on and they have no two-factor authentication. */
  includesMe: boolean;
}

/** The roles the staged set turns on, how many people that sends to the set-up, and whether it includes `me`. */
export function policyChange(
  roles: readonly RolePolicy[],
  required: ReadonlySet<string>,
  me: { roleId: string; twoFactorEnabled: boolean } | null,
): PolicyChange {
  const newlyRequired = roles.filter((r) => !r.required && required.has(r.role.id));
  return {
    newlyRequired,
    affected: newlyRequired.reduce((sum, r) => sum + r.affected, 0),
    includesMe: !!me && !me.twoFactorEnabled && newlyRequired.some((r) => r.role.id === me.roleId),
  };
}

/** Whether the staged roles or SSO rule differ from the saved policy. */
export function isChanged(roles: readonly RolePolicy[], required: ReadonlySet<string>, savedSso: string, stagedSso: string): boolean {
  return savedSso !== stagedSso || roles.some((r) => r.required !== required.has(r.role.id));
}

/**
 * The roles whose single-sign-on-only people the save also sends to the set-up: all required roles, when
 * the rule goes from trusting the provider to asking for Roster's code (the API's counts leave them out).
 */
export function ssoTightenedRoles(
  roles: readonly RolePolicy[],
  required: ReadonlySet<string>,
  savedSso: string,
  stagedSso: string,
): RolePolicy[] {
  if (savedSso !== 'TRUST_PROVIDER' || stagedSso !== 'REQUIRE_TOTP') return [];
  return roles.filter((r) => required.has(r.role.id));
}
