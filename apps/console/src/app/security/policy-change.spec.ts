import { isChanged, policyChange, RolePolicy, ssoTightenedRoles } from './policy-change';

const role = (id: string, required: boolean, affected: number, activeMembers = 10): RolePolicy => ({
  role: { id, key: id.toUpperCase(), name: id },
  required,
  activeMembers,
  affected,
});

describe('policyChange', () => {
  const roles = [role('admin', false, 1), role('manager', true, 4), role('member', false, 3), role('viewer', false, 0)];

  it('sums the people of the roles turned on, not of those already required or left off', () => {
    const change = policyChange(roles, new Set(['manager', 'member', 'viewer']), null);
    expect(change.newlyRequired.map((r) => r.role.id)).toEqual(['member', 'viewer']);
    expect(change.affected).toBe(3);
    expect(change.includesMe).toBe(false);
  });

  it('turning a role off affects nobody', () => {
    expect(policyChange(roles, new Set(), null)).toEqual({ newlyRequired: [], affected: 0, includesMe: false });
  });

  it('includes me when my own role is turned on and I have no two-factor authentication', () => {
    expect(policyChange(roles, new Set(['admin']), { roleId: 'admin', twoFactorEnabled: false }).includesMe).toBe(true);
    expect(policyChange(roles, new Set(['admin']), { roleId: 'admin', twoFactorEnabled: true }).includesMe).toBe(false);
    expect(policyChange(roles, new Set(['member']), { roleId: 'admin', twoFactorEnabled: false }).includesMe).toBe(false);
    // Already required: nothing changes for me.
    expect(policyChange(roles, new Set(['manager']), { roleId: 'manager', twoFactorEnabled: false }).includesMe).toBe(false);
  });
});

describe('isChanged', () => {
  const roles = [role('admin', true, 0), role('viewer', false, 2)];

  it('is false for the saved policy', () => {
    expect(isChanged(roles, new Set(['admin']), 'TRUST_PROVIDER', 'TRUST_PROVIDER')).toBe(false);
  });

  it('notices a role or the SSO rule', () => {
    expect(isChanged(roles, new Set(['admin', 'viewer']), 'TRUST_PROVIDER', 'TRUST_PROVIDER')).toBe(true);
    expect(isChanged(roles, new Set([]), 'TRUST_PROVIDER', 'TRUST_PROVIDER')).toBe(true);
    expect(isChanged(roles, new Set(['admin']), 'TRUST_PROVIDER', 'REQUIRE_TOTP')).toBe(true);
  });
});

describe('ssoTightenedRoles', () => {
  const roles = [role('admin', true, 0), role('member', false, 2), role('viewer', false, 1)];

  it('lists every staged required role when the rule starts asking single sign-on people for the code', () => {
    const ids = (list: RolePolicy[]) => list.map((r) => r.role.id);
    expect(ids(ssoTightenedRoles(roles, new Set(['admin', 'viewer']), 'TRUST_PROVIDER', 'REQUIRE_TOTP'))).toEqual(['admin', 'viewer']);
    expect(ssoTightenedRoles(roles, new Set(['admin']), 'TRUST_PROVIDER', 'TRUST_PROVIDER')).toEqual([]);
    expect(ssoTightenedRoles(roles, new Set(['admin']), 'REQUIRE_TOTP', 'TRUST_PROVIDER')).toEqual([]);
    expect(ssoTightenedRoles(roles, new Set(), 'TRUST_PROVIDER', 'REQUIRE_TOTP')).toEqual([]);
  });
});
