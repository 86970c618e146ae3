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
jest.mock('../users/accounts.service', () => ({ AccountsService: class {} }));

import type { JanitorService } from '../core/database/janitor.service';
import type { AccountsService } from '../users/accounts.service';
import { DELETION_BATCH, OrganizationDeletion } from './organization-deletion';

const ORG = '0b8f6c1e-0a5d-4c39-9a53-2f0c1d7b9e11';

/**
 * A transaction and an accounts service that answer the deletion from a script: whether the
 * organization is marked (and not locked elsewhere), how many memberships each batch ends, how many
 * of those people are left nowhere.
 */
function fakeDatabase(opts: { marked: boolean; batches: number[]; unattached?: (n: number) => number }) {
  const statements: string[] = [];
  let batch = 0;
  let gone = false;
  const tx = {
    query: async (sql: string) => {
      statements.push(sql.replace(/\s+/g, ' ').trim());
      if (/FROM organizations WHERE id = \$1 AND status = 'DELETING' FOR UPDATE SKIP LOCKED/.test(sql))
        return opts.marked && !gone ? [{ id: ORG }] : [];
      if (/DELETE FROM organizations/.test(sql)) gone = true;
      return [];
    },
  } as unknown as EntityManager;
  const accounts = {
    removeMembersOf: async (_tx: EntityManager, organizationId: string, limit: number) => {
      statements.push(`members of ${organizationId} up to ${limit}`);
      const memberships = opts.batches[batch++] ?? 0;
      return { memberships, people: opts.unattached?.(memberships) ?? memberships };
    },
  } as unknown as AccountsService;
  const db = {
    query: async (sql: string) => (/status = 'DELETING'/.test(sql) && opts.marked && !gone ? [{ id: ORG }] : []),
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => work(tx),
  } as unknown as DataSource;
  return { db, accounts, statements };
}

/** A janitor that keeps the jobs handed to it (`handed`). */
const handed = new Map<string, () => Promise<number>>();
const janitor = () => ({ every: (name: string, job: () => Promise<number>) => handed.set(name, job) }) as unknown as JanitorService;

describe('deleting an organization in batches', () => {
  it('registers with the janitor, which takes up every organization still marked', async () => {
    const { db, accounts, statements } = fakeDatabase({ marked: true, batches: [3] });
    handed.clear();
    new OrganizationDeletion(db, accounts, janitor());
    expect([...handed.keys()]).toEqual(['organizations']);
    // 3 memberships, 3 people left nowhere, the organization's row.
    expect(await handed.get('organizations')?.()).toBe(7);
    expect(statements.some((s) => s.startsWith('DELETE FROM organizations WHERE id = $1'))).toBe(true);
  });

  it('deletes memberships a batch per transaction, and the row only once none is left', async () => {
    const { db, accounts, statements } = fakeDatabase({ marked: true, batches: [DELETION_BATCH, DELETION_BATCH, 10], unattached: () => 0 });
    const deletion = new OrganizationDeletion(db, accounts, janitor());
    expect(await deletion.run(ORG)).toBe(2 * DELETION_BATCH + 10 + 1);
    const kinds = statements
      .map((s) =>
        s.includes('SKIP LOCKED')
          ? 'lock'
          : s.startsWith('members of')
            ? 'memberships'
            : s.startsWith('DELETE FROM organizations')
              ? 'row'
              : null,
      )
      .filter(Boolean);
    expect(kinds).toEqual(['lock', 'memberships', 'lock', 'memberships', 'lock', 'memberships', 'row']);
    expect(statements).toContain(`members of ${ORG} up to ${DELETION_BATCH}`);
  });

  it('does nothing for an organization not marked, or held by another instance', async () => {
    const { db, accounts, statements } = fakeDatabase({ marked: false, batches: [5] });
    expect(await new OrganizationDeletion(db, accounts, janitor()).run(ORG)).toBe(0);
    expect(statements.filter((s) => s.startsWith('DELETE') || s.startsWith('members'))).toEqual([]);
  });

  it('runs one deletion of an organization at a time on an instance', async () => {
    const { db, accounts } = fakeDatabase({ marked: true, batches: [1] });
    const deletion = new OrganizationDeletion(db, accounts, janitor());
    const [a, b] = await Promise.all([deletion.run(ORG), deletion.run(ORG)]);
    expect([a, b]).toEqual([3, 3]); // the same run, not two
  });

  it('stops between batches when the instance shuts down', async () => {
    const { db, accounts, statements } = fakeDatabase({ marked: true, batches: [DELETION_BATCH, DELETION_BATCH, DELETION_BATCH] });
    const deletion = new OrganizationDeletion(db, accounts, janitor());
    await deletion.onModuleDestroy();
    expect(await deletion.run(ORG)).toBe(0);
    expect(statements).toEqual([]);
  });
});
