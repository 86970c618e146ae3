import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS, isAuditAction, WEBHOOK_EVENT_TYPES } from './audit-actions';

describe('audit actions', () => {
  it('knows the actions of the catalogue and nothing else, prototype names included', () => {
    expect(isAuditAction('team.created')).toBe(true);
    expect(isAuditAction('team.created ')).toBe(false);
    expect(isAuditAction('constructor')).toBe(false);
    expect(isAuditAction('toString')).toBe(false);
    expect(AUDIT_ACTION_NAMES).toHaveLength(Object.keys(AUDIT_ACTIONS).length);
  });

  it('gives every action a scope, and webhooks the organization ones in alphabetical order', () => {
    for (const a of AUDIT_ACTION_NAMES) expect(AUDIT_ACTIONS[a].length).toBeGreaterThan(0);
    expect(AUDIT_ACTIONS['audit.exported']).toEqual(['organization', 'platform']);
    expect(WEBHOOK_EVENT_TYPES).not.toContain('organization.created');
    expect(WEBHOOK_EVENT_TYPES).toContain('audit.exported');
    expect(WEBHOOK_EVENT_TYPES).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});
