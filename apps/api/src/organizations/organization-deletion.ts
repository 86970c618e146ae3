import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JanitorService } from '../core/database/janitor.service';
import { AccountsService } from '../users/accounts.service';

/** Memberships removed per transaction: each batch commits, so a large organization never holds long locks. */
export const DELETION_BATCH = 5_000;
/** Organizations the janitor takes up per tick (the oldest deletions first). */
const PER_TICK = 100;

/**
 * The second half of deleting an organization. `deleteOrganization` marks it at once (`status =
 * 'DELETING'`, its slug freed): every request naming it is refused from then on. Then its memberships
 * go in batches of DELETION_BATCH, each in its own transaction — their team links, invitations and API
 * tokens go with them (foreign keys) — with the people who then belong nowhere and are not operators;
 * last the organization's row, whose deletion takes its roles, teams, two-factor policy and counts.
 *
 * Resumable: the status is the marker. The instance that marked it starts at once; the janitor takes up
 * whatever is still marked at every tick (after a crash, a restart, or a failure). Each batch locks the
 * organization's row (`FOR UPDATE SKIP LOCKED`), so two instances never work on one organization at once,
 * and nobody adds a membership, team or role to it meanwhile (their foreign-key checks wait, then fail).
 */
@Injectable()
export class OrganizationDeletion implements OnModuleDestroy {
  private readonly logger = new Logger('OrganizationDeletion');
  /** Deletions this instance is running, by organization. */
  private readonly running = new Map<string, Promise<number>>();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsService,
    janitor: JanitorService,
  ) {
    janitor.every('organizations', () => this.resume());
  }

  async onModuleDestroy(): Promise<void> {
    // Stop between batches; whatever is left is resumed by the next instance's janitor.
    this.stopping = true;
    await Promise.allSettled(this.running.values());
  }

  /** Starts deleting a marked organization in the background (errors are logged; the janitor retries). */
  start(organizationId: string): void {
    this.run(organizationId).catch((e: unknown) =>
      this.logger.warn(`Deletion of organization ${organizationId} paused: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** Finishes every organization still marked DELETING (the janitor's job). Returns the rows removed. */
  async resume(): Promise<number> {
    const marked: { id: string }[] = await this.db.query(
      `SELECT id FROM organizations WHERE status = 'DELETING' ORDER BY updated_at, id LIMIT ${PER_TICK}`,
    );
    let removed = 0;
    for (const { id } of marked) {
      if (this.stopping) break;
      removed += await this.run(id);
    }
    return removed;
  }

  /**
   * Deletes one organization marked DELETING, batch after batch, until it is gone (or another instance
   * holds it, or this one stops). Returns the rows removed (memberships, people, the organization).
   */
  run(organizationId: string): Promise<number> {
    const existing = this.running.get(organizationId);
    if (existing) return existing;
    const run = this.finish(organizationId).finally(() => this.running.delete(organizationId));
    this.running.set(organizationId, run);
    return run;
  }

  private async finish(organizationId: string): Promise<number> {
    let removed = 0;
    while (!this.stopping) {
      const step = await this.db.transaction((tx) => this.batch(tx, organizationId));
      if (!step) break;
      removed += step.removed;
      if (step.done) {
        this.logger.log(`Organization ${organizationId} deleted`);
        break;
      }
    }
    return removed;
  }

  /**
   * One batch, in the caller's transaction: null when the organization is not (or no longer) marked,
   * or another instance is deleting it right now.
   */
  async batch(tx: EntityManager, organizationId: string): Promise<{ removed: number; done: boolean } | null> {
    const marked: unknown[] = await tx.query(`SELECT id FROM organizations WHERE id = $1 AND status = 'DELETING' FOR UPDATE SKIP LOCKED`, [
      organizationId,
    ]);
    if (marked.length === 0) return null;
    const gone = await this.accounts.removeMembersOf(tx, organizationId, DELETION_BATCH);
    const removed = gone.memberships + gone.people;
    if (gone.memberships === DELETION_BATCH) return { removed, done: false };
    // None left (and none can be added while the row is locked): the row, and what cascades from it.
    await tx.query(`DELETE FROM organizations WHERE id = $1`, [organizationId]);
    return { removed: removed + 1, done: true };
  }
}
