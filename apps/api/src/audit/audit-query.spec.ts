import { ErrorCode } from '@roster/contracts/errors';
import type { Principal } from '../core/access/principal';
import { auditFilter, auditOwner, auditPageQuery, AuditScope, distinctActionsQuery } from './audit-query';

const ORG = '0b5c7a0e-3f5e-4c3a-9c1e-2d6f1a7b8c9d';
const NO_FILTER = auditFilter({});

function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    userId: '11111111-1111-4111-8111-111111111111',
    email: 'a@example.com',
    sessionId: 's',
    tokenId: null,
    permissions: [],
    via: 'cookie',
    operator: false,
    organization: { id: ORG, slug: 'acme', name: 'Acme' },
    ...overrides,
  };
}

const code = (f: () => unknown) => {
  try {
    f();
    return 'OK';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('audit queries', () => {
  it("reads one organization's events, or the platform's, before any filter", () => {
    const org = auditPageQuery(ORG, auditFilter({ action: 'user.deleted' }), null, 51);
    expect(org.sql).toContain('WHERE organization_id = $1::uuid AND action = $2::text');
    expect(org.params).toEqual([ORG, 'user.deleted', 51]);
    const platform = auditPageQuery(null, NO_FILTER, null, 51);
    expect(platform.sql).toContain('WHERE organization_id IS NULL ORDER BY created_at DESC, id DESC LIMIT $1');
    expect(platform.params).toEqual([51]);
  });

  it('takes a cursor only at an event of the same owner', () => {
    const legacy = auditPageQuery(ORG, NO_FILTER, { legacyId: '42' }, 10);
    expect(legacy.sql).toContain('WHERE e.id = $2::bigint AND e.organization_id = $3::uuid');
    expect(legacy.params).toEqual([ORG, '42', ORG, 10]);
    const cursor = auditPageQuery(null, NO_FILTER, { at: '2026-01-01T00:00:00.000000Z', id: '42' }, 10);
    expect(cursor.sql).toContain('(created_at, id) < ($2::timestamptz, $1::bigint)');
    expect(cursor.sql).toContain('EXISTS (SELECT 1 FROM audit_events e WHERE e.id = $1::bigint AND e.organization_id IS NULL)');
    expect(cursor.params).toEqual(['42', '2026-01-01T00:00:00.000000Z', 10]);
  });

  it("lists the actions of one owner's events", () => {
    const org = distinctActionsQuery(ORG);
    expect(org.params).toEqual([ORG]);
    expect(org.sql.match(/organization_id = \$1::uuid/g)).toHaveLength(2);
    const platform = distinctActionsQuery(null);
    expect(platform.params).toEqual([]);
    expect(platform.sql.match(/organization_id IS NULL/g)).toHaveLength(2);
  });

  it("opens the platform's events to operators signed in to the console only", () => {
    expect(auditOwner(principal(), AuditScope.ORGANIZATION)).toBe(ORG);
    expect(auditOwner(principal({ operator: true }), AuditScope.PLATFORM)).toBeNull();
    expect(code(() => auditOwner(principal(), AuditScope.PLATFORM))).toBe(ErrorCode.Forbidden);
    expect(code(() => auditOwner(principal({ operator: true, via: 'bearer', sessionId: null, tokenId: 't' }), AuditScope.PLATFORM))).toBe(
      ErrorCode.Forbidden,
    );
    expect(code(() => auditOwner(principal({ organization: null }), AuditScope.ORGANIZATION))).toBe(ErrorCode.Forbidden);
  });
});
