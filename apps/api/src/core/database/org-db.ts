import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TENANT_ROLE } from './migrations/1765000700000-row-level-security';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Transactions confined to one organization, while each is open, and whether each is stepping out. */
const confined = new WeakMap<EntityManager, { across: boolean }>();

/**
 * Transactions that write one organization's data, behind the second wall: each runs as
 * `roster_tenant` with `roster.organization_id` set to that organization, so row-level security lets
 * its statements see and change that organization's rows only. A statement that forgets its
 * `organization_id` filter then touches nothing of another organization, and a row written for another
 * one is refused (an error, not a silent write). Platform work (sign-in, principals, operators, the
 * janitor) keeps `DataSource.transaction`.
 *
 * When the database has no `roster_tenant` (a role without CREATEROLE ran the migrations), the wall is
 * off: the transactions run as before and the server says so once at start.
 */
@Injectable()
export class OrgDb implements OnApplicationBootstrap {
  private readonly logger = new Logger('OrgDb');
  private wall: Promise<boolean> | undefined;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.wallUp())) {
      this.logger.warn(
        `Row-level security between organizations is off: the database role cannot switch to ${TENANT_ROLE} ` +
          '(create it, grant it to this role and run the migrations again to turn it on).',
      );
    }
  }

  /** Whether organization transactions run behind row-level security here. */
  private wallUp(): Promise<boolean> {
    this.wall ??= this.db
      .query(
        `SELECT to_regrole($1) IS NOT NULL
            AND pg_has_role(current_user, to_regrole($1), 'MEMBER')
            AND EXISTS (SELECT FROM pg_policies WHERE tablename = 'memberships' AND policyname = 'organization') AS up`,
        [TENANT_ROLE],
      )
      .then((rows: { up: boolean }[]) => rows[0].up)
      .catch((error: unknown) => {
        this.wall = undefined; // asked again next time
        throw error;
      });
    return this.wall;
  }

  /**
   * Runs `work` in one transaction that sees and writes only `organizationId`'s rows of the
   * organization tables (people, sessions and other platform tables stay whole).
   */
  async transaction<T>(organizationId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (!UUID.test(organizationId)) throw new Error('An organization transaction needs the organization id.');
    const wall = await this.wallUp();
    if (!wall) return this.db.transaction(work);
    const runner = this.db.createQueryRunner();
    // The wall goes up in the message that starts the transaction (the id is a checked uuid): a round trip
    // fewer on every organization transaction. Only the start is rewritten (nested ones are savepoints).
    const send = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: unknown[]) =>
      send(
        sql === 'START TRANSACTION'
          ? `START TRANSACTION; SET LOCAL ROLE ${TENANT_ROLE}; SET LOCAL roster.organization_id = '${organizationId.toLowerCase()}'`
          : sql,
        ...(rest as []),
      )) as typeof runner.query;
    const tx = runner.manager;
    try {
      await runner.startTransaction();
      confined.set(tx, { across: false });
      const result = await work(tx);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      confined.delete(tx);
      await runner.release();
    }
  }

  /**
   * For the few statements of an organization's transaction that must see the person across every
   * organization (whether they still belong anywhere, whether another organization keeps them active):
   * runs `work` as the connecting role, then puts the wall back. Each call site says why.
   */
  static async acrossOrganizations<T>(tx: EntityManager, work: () => Promise<T>): Promise<T> {
    const state = confined.get(tx);
    if (!state || state.across) return work();
    await tx.query('RESET ROLE');
    state.across = true;
    let failed = false;
    try {
      return await work();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      state.across = false;
      // After a failed statement the transaction is over anyway (it rolls back).
      if (!failed) await tx.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
    }
  }
}
