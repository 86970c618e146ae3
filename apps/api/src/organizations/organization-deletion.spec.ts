import type { DataSource, EntityManager } from 'typeorm';

// Nest's decorators are not what is tested here (and its packages load as ES modules only).
jest.mock('@nestjs/common', () => ({
  Injectable: () => () => undefined,
  Logger: class {
    log = jest.fn();
    warn = jest.fn();
  },
}));
jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));
jest.mock('../core/database/janitor.service', () => ({ JanitorService: class {} }));

import type { JanitorService } from '../core/database/janitor.service';
import { DELETION_BATCH, OrganizationDeletion, removeUnattached } from './organization-deletion';

const ORG = '0b8f6c1e-0a5d-4c39-9a53-2f0c1d7b9e11';

/**
 * A transaction that answers the deletion's statements from a script: whether the organization is
 * marked (and not locked elsewhere), how many memberships each batch finds, who is left nowhere.
 */
function fakeDatabase(opts: { marked: boolean; batches: number[]; unattached?: (ids: string[]) => number }) {
  const statements: string[] = [];
  let batch = 0;
  let gone = false;
  const tx = {
    query: async (sql: string, params: unknown[] = []) => {
      statements.push(sql.replace(/\s+/g, ' ').trim());
      if (/FROM organizations WHERE id = \$1 AND status = 'DELETING' FOR UPDATE SKIP LOCKED/.test(sql))
        return opts.marked && !gone ? [{ id: ORG }] : [];
      if (/DELETE FROM memberships/.test(sql)) {
        const n = opts.batches[batch++] ?? 0;
        return Array.from({ length: n }, (_, i) => ({ user_id: `u${batch}-${i}` }));
      }
      if (/DELETE FROM users/.test(sql)) {
        const ids = params[0] as string[];
        return Array.from({ length: opts.unattached?.(ids) ?? ids.length }, () => ({ id: 'x' }));
      }
      if (/DELETE FROM organizations/.test(sql)) {
        gone = true;
        return [];
      }
      return [];
    },
  } as unknown as EntityManager;
  const db = {
    query: async (sql: string) => (/status = 'DELETING'/.test(sql) && opts.marked && !gone ? [{ id: ORG }] : []),
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => work(tx),
  } as unknown as DataSource;
  return { db, tx, statements };
}

/** A janitor that keeps the jobs handed to it (`handed`). */
const handed = new Map<string, () => Promise<number>>();
const janitor = () => ({ every: (name: string, job: () => Promise<number>) => handed.set(name, job) }) as unknown as JanitorService;

describe('deleting an organization in batches', () => {
  it('registers with the janitor, which takes up every organization still marked', async () => {
    const { db, statements } = fakeDatabase({ marked: true, batches: [3] });
    handed.clear();
    new OrganizationDeletion(db, janitor());
    expect([...handed.keys()]).toEqual(['organizations']);
    // 3 memberships, 3 people left nowhere, the organization's row.
    expect(await handed.get('organizations')?.()).toBe(7);
    expect(statements.some((s) => s.startsWith('DELETE FROM organizations WHERE id = $1'))).toBe(true);
  });

  it('deletes memberships a batch per transaction, and the row only once none is left', async () => {
    const { db, statements } = fakeDatabase({ marked: true, batches: [DELETION_BATCH, DELETION_BATCH, 10], unattached: () => 0 });
    const deletion = new OrganizationDeletion(db, janitor());
    expect(await deletion.run(ORG)).toBe(2 * DELETION_BATCH + 10 + 1);
    const kinds = statements
      .map((s) =>
        s.includes('SKIP LOCKED')
          ? 'lock'
          : s.includes('DELETE FROM memberships')
            ? 'memberships'
            : s.startsWith('DELETE FROM organizations')
              ? 'row'
              : null,
      )
      .filter(Boolean);
    expect(kinds).toEqual(['lock', 'memberships', 'lock', 'memberships', 'lock', 'memberships', 'row']);
    expect(statements.find((s) => s.includes('DELETE FROM memberships'))).toContain(`LIMIT ${DELETION_BATCH}`);
  });

  it('does nothing for an organization not marked, or held by another instance', async () => {
    const { db, statements } = fakeDatabase({ marked: false, batches: [5] });
    expect(await new OrganizationDeletion(db, janitor()).run(ORG)).toBe(0);
    expect(statements.filter((s) => s.startsWith('DELETE'))).toEqual([]);
  });

  it('runs one deletion of an organization at a time on an instance', async () => {
    const { db } = fakeDatabase({ marked: true, batches: [1] });
    const deletion = new OrganizationDeletion(db, janitor());
    const [a, b] = await Promise.all([deletion.run(ORG), deletion.run(ORG)]);
    expect([a, b]).toEqual([3, 3]); // the same run, not two
  });

  it('stops between batches when the instance shuts down', async () => {
    const { db, statements } = fakeDatabase({ marked: true, batches: [DELETION_BATCH, DELETION_BATCH, DELETION_BATCH] });
    const deletion = new OrganizationDeletion(db, janitor());
    await deletion.onModuleDestroy();
    expect(await deletion.run(ORG)).toBe(0);
    expect(statements).toEqual([]);
  });
});

describe('removing people who belong nowhere', () => {
  it('locks them, then deletes those with no membership who are not operators', async () => {
    const { tx, statements } = fakeDatabase({ marked: true, batches: [], unattached: () => 1 });
    expect(await removeUnattached(tx, [])).toBe(0);
    expect(statements).toEqual([]);
    expect(await removeUnattached(tx, ['a', 'b'])).toBe(1);
    expect(statements[0]).toMatch(/SELECT id FROM users WHERE id = ANY\(\$1::uuid\[\]\) AND NOT operator ORDER BY id FOR UPDATE/);
    expect(statements[1]).toMatch(/NOT u\.operator AND NOT EXISTS \(SELECT 1 FROM memberships m WHERE m\.user_id = u\.id\)/);
  });
});
