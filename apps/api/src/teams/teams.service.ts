import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { poolOf } from '../core/database/pool';
import { AppError, notFound } from '../core/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { TeamModel } from './team.model';
import { OrgDb } from '../core/database/org-db';
import { ChangeFeed } from '../core/database/change-feed';

/** A team's name and its place in `ORDER BY name` among its organization's teams. */
export interface TeamName {
  name: string;
  rank: number;
}

/** Organizations whose team names are kept in memory (the most recently used), and their teams in all. */
const CACHED_ORGANIZATIONS = 1_000;
const CACHED_TEAMS = 200_000;
/** An organization with more teams than this is never kept: each page reads its names. */
const CACHED_TEAMS_PER_ORGANIZATION = 10_000;

/**
 * The teams of each organization (tables teams and user_teams): whoever acts sees and changes only the
 * current organization's teams, and a team id of another organization is NOT_FOUND. A team's members
 * are members of its organization (user_teams leads to the membership, and goes with it).
 */
@Injectable()
export class TeamsService {
  /** Team names by id, per organization, most recently used last (see `namesCached`). */
  private readonly cache = new Map<string, Map<string, TeamName>>();
  /** Teams in `cache`, all organizations together. */
  private cachedTeams = 0;
  /** Bumped by every announcement that may concern team names. */
  private generation = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    private readonly audit: AuditService,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe((change) => {
      if ('all' in change) {
        this.generation++;
        this.cache.clear();
        this.cachedTeams = 0;
      } else if ('teamsOf' in change || 'organizationId' in change) {
        this.forgetNames('teamsOf' in change ? change.teamsOf : change.organizationId);
      }
    });
  }

  /**
   * An organization's team names by id, from memory while no rename or deletion was announced since they
   * were read (one statement otherwise); `fresh` reads again (a team created a moment ago, here or on
   * another instance, is not announced: a caller meeting an unknown id asks again).
   */
  async namesCached(organizationId: string, fresh = false): Promise<Map<string, TeamName>> {
    const cached = this.cache.get(organizationId);
    if (cached && this.feed.live && !fresh) {
      this.cache.delete(organizationId);
      this.cache.set(organizationId, cached);
      return cached;
    }
    const generation = this.generation;
    const names = new Map((await this.names(organizationId)).map((t, rank) => [t.id, { name: t.name, rank }]));
    if (this.feed.live && generation === this.generation && names.size <= CACHED_TEAMS_PER_ORGANIZATION) {
      this.forgetNames(organizationId);
      this.cache.set(organizationId, names);
      this.cachedTeams += names.size;
      while (this.cache.size > CACHED_ORGANIZATIONS || this.cachedTeams > CACHED_TEAMS) {
        this.forgetNames(this.cache.keys().next().value as string);
      }
    }
    return names;
  }

  /** Drops an organization's names from the cache (and any read of them in flight from being kept). */
  private forgetNames(organizationId: string): void {
    this.generation++;
    this.cachedTeams -= this.cache.get(organizationId)?.size ?? 0;
    this.cache.delete(organizationId);
  }

  /** The organization's teams, by name, with member counts. */
  async list(organizationId: string): Promise<TeamModel[]> {
    const rows: { id: string; name: string; member_count: string }[] = await this.db.query(
      `SELECT t.id, t.name, (SELECT count(*) FROM user_teams ut WHERE ut.organization_id = t.organization_id AND ut.team_id = t.id) AS member_count
         FROM teams t WHERE t.organization_id = $1 ORDER BY lower(t.name)`,
      [organizationId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, memberCount: Number(r.member_count) }));
  }

  /** The organization's teams' ids and names, in `ORDER BY name` order (the export's Teams column sorts names the same way). */
  names(organizationId: string): Promise<{ id: string; name: string }[]> {
    return this.db.query(`SELECT id, name FROM teams WHERE organization_id = $1 ORDER BY name`, [organizationId]);
  }

  /**
   * The team ids of each of `userIds`, in the same order, joined with "," (null without teams): the
   * export's Teams column. Straight from user_teams' primary key, names are mapped by the caller from one
   * read of teams per export: a join to teams and a sorted string_agg per row cost PostgreSQL about as
   * much as the rest of the row. Rows as arrays from the application's pg pool (no object per row).
   */
  async idsPerUser(organizationId: string, userIds: string[]): Promise<(string | null)[]> {
    if (!userIds.length) return [];
    const result = await poolOf(this.db).query<[string | null]>({
      text: `SELECT (SELECT string_agg(ut.team_id::text, ',') FROM user_teams ut WHERE ut.organization_id = $1 AND ut.user_id = b.id)
               FROM unnest($2::uuid[]) WITH ORDINALITY b(id, n) ORDER BY b.n`,
      // An array literal: ids from PostgreSQL need no quoting (pg would escape each element of a JS array).
      values: [organizationId, `{${userIds.join(',')}}`],
      rowMode: 'array',
    });
    return result.rows.map(([ids]) => ids);
  }

  create(actor: Principal, name: string): Promise<TeamModel> {
    const organizationId = organizationOf(actor);
    return this.write(organizationId, async (tx) => {
      const rows: { id: string }[] = await tx.query(`INSERT INTO teams (organization_id, name) VALUES ($1, $2) RETURNING id`, [
        organizationId,
        name,
      ]);
      await this.audit.record(tx, actor, 'team.created', null, { teamId: rows[0].id, name });
      return { id: rows[0].id, name, memberCount: 0 };
    });
  }

  rename(actor: Principal, id: string, name: string): Promise<TeamModel> {
    const organizationId = organizationOf(actor);
    return this.write(organizationId, async (tx) => {
      const before: { name: string }[] = await tx.query(`SELECT name FROM teams WHERE organization_id = $1 AND id = $2 FOR UPDATE`, [
        organizationId,
        id,
      ]);
      if (!before[0]) throw notFound('Team');
      await tx.query(`UPDATE teams SET name = $3 WHERE organization_id = $1 AND id = $2`, [organizationId, id, name]);
      await this.audit.record(tx, actor, 'team.renamed', null, { teamId: id, from: before[0].name, to: name });
      const count: { n: string }[] = await tx.query(`SELECT count(*) AS n FROM user_teams WHERE organization_id = $1 AND team_id = $2`, [
        organizationId,
        id,
      ]);
      return { id, name, memberCount: Number(count[0].n) };
    });
  }

  delete(actor: Principal, id: string): Promise<boolean> {
    const organizationId = organizationOf(actor);
    return this.write(organizationId, async (tx) => {
      // TypeORM answers DELETE … RETURNING with [rows, affected].
      const [rows]: [{ name: string }[], number] = await tx.query(
        `DELETE FROM teams WHERE organization_id = $1 AND id = $2 RETURNING name`,
        [organizationId, id],
      );
      if (!rows[0]) throw notFound('Team');
      await this.audit.record(tx, actor, 'team.deleted', null, { teamId: id, name: rows[0].name });
      return true;
    });
  }

  /**
   * Makes `teamIds` a member's complete set of teams in the organization (inside the caller's
   * transaction; the person must be a member of it); NOT_FOUND for a team unknown to the organization.
   */
  async setMemberships(tx: EntityManager, organizationId: string, userId: string, teamIds: string[]): Promise<void> {
    const wanted = [...new Set(teamIds)];
    if (wanted.length) {
      const found: { id: string }[] = await tx.query(`SELECT id FROM teams WHERE organization_id = $1 AND id = ANY($2::uuid[])`, [
        organizationId,
        wanted,
      ]);
      if (found.length !== wanted.length) throw notFound('Team');
    }
    await tx.query(`DELETE FROM user_teams WHERE organization_id = $1 AND user_id = $2`, [organizationId, userId]);
    if (wanted.length) {
      await tx.query(`INSERT INTO user_teams (organization_id, user_id, team_id) SELECT $1, $2, unnest($3::uuid[])`, [
        organizationId,
        userId,
        wanted,
      ]);
    }
  }

  /**
   * The same as `create`, `rename` and `delete`, inside the caller's organization transaction (SCIM's
   * Groups, design §7), audited with the team as the event's target (what the audit log filters by) and
   * `details` added (`via: 'scim'`). Name and external id clashes are
   * TEAM_NAME_TAKEN and a SCIM uniqueness refusal; the caller calls `namesChanged` once its transaction ends.
   */
  async createIn(
    tx: EntityManager,
    actor: Principal,
    name: string,
    externalId: string | null,
    details: Record<string, unknown>,
  ): Promise<string> {
    const organizationId = organizationOf(actor);
    const rows: { id: string }[] = await unique(() =>
      tx.query(`INSERT INTO teams (organization_id, name, external_id) VALUES ($1, $2, $3) RETURNING id`, [
        organizationId,
        name,
        externalId,
      ]),
    );
    await this.audit.record(tx, actor, 'team.created', { id: rows[0].id }, { teamId: rows[0].id, name, ...details });
    return rows[0].id;
  }

  /** Renames a team locked by the caller (`from`: its name); nothing when the name is the same. */
  async renameIn(
    tx: EntityManager,
    actor: Principal,
    id: string,
    from: string,
    name: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    if (from === name) return;
    await unique(() => tx.query(`UPDATE teams SET name = $3 WHERE organization_id = $1 AND id = $2`, [organizationOf(actor), id, name]));
    await this.audit.record(tx, actor, 'team.renamed', { id }, { teamId: id, from, to: name, ...details });
  }

  /** Sets (or clears) a team's external id (SCIM `externalId`, exact case, unique in the organization). */
  async setExternalId(tx: EntityManager, organizationId: string, id: string, externalId: string | null): Promise<void> {
    await unique(() =>
      tx.query(`UPDATE teams SET external_id = $3 WHERE organization_id = $1 AND id = $2 AND external_id IS DISTINCT FROM $3`, [
        organizationId,
        id,
        externalId,
      ]),
    );
  }

  async deleteIn(tx: EntityManager, actor: Principal, id: string, details: Record<string, unknown>): Promise<void> {
    const [rows]: [{ name: string }[], number] = await tx.query(`DELETE FROM teams WHERE organization_id = $1 AND id = $2 RETURNING name`, [
      organizationOf(actor),
      id,
    ]);
    if (!rows[0]) throw notFound('Team');
    await this.audit.record(tx, actor, 'team.deleted', { id }, { teamId: id, name: rows[0].name, ...details });
  }

  /**
   * Adds and removes members of a team (set-based, in the caller's transaction; the people are members of
   * the organization, checked by the caller), and audits `team.members_changed` with what changed:
   * counts and the first 50 ids each way. Nothing is recorded when nothing changed.
   */
  async changeMembers(
    tx: EntityManager,
    actor: Principal,
    teamId: string,
    change: { add: string[]; remove: string[] },
    details: Record<string, unknown>,
  ): Promise<{ added: string[]; removed: string[] }> {
    const organizationId = organizationOf(actor);
    let removed: string[] = [];
    let added: string[] = [];
    if (change.remove.length) {
      const [rows]: [{ user_id: string }[], number] = await tx.query(
        `DELETE FROM user_teams WHERE organization_id = $1 AND team_id = $2 AND user_id = ANY($3::uuid[]) RETURNING user_id`,
        [organizationId, teamId, change.remove],
      );
      removed = rows.map((r) => r.user_id);
    }
    if (change.add.length) {
      const rows: { user_id: string }[] = await tx.query(
        `INSERT INTO user_teams (organization_id, user_id, team_id) SELECT $1, u.id, $2 FROM unnest($3::uuid[]) u(id)
         ON CONFLICT DO NOTHING RETURNING user_id`,
        [organizationId, teamId, [...new Set(change.add)]],
      );
      added = rows.map((r) => r.user_id);
    }
    if (added.length || removed.length) {
      const summary = (ids: string[]) => ({ count: ids.length, ids: ids.slice(0, 50) });
      await this.audit.record(
        tx,
        actor,
        'team.members_changed',
        { id: teamId },
        {
          teamId,
          added: summary(added),
          removed: summary(removed),
          ...details,
        },
      );
    }
    return { added, removed };
  }

  /** After a transaction that changed teams through the `…In` methods: this instance forgets the names it kept. */
  namesChanged(organizationId: string): void {
    this.forgetNames(organizationId);
  }

  private async write<T>(organizationId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.orgDb.transaction(organizationId, work);
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
        throw new AppError(ErrorCode.TeamNameTaken, 'A team with this name already exists.');
      }
      throw e;
    } finally {
      // This instance's own change is in effect at once; the announcement reaches the others (and this
      // one) a few milliseconds later. A write that failed changed nothing, and forgetting costs one read.
      this.forgetNames(organizationId);
    }
  }
}

/**
 * Runs a statement that may meet a unique index of teams: a name in use is TEAM_NAME_TAKEN, an external id
 * in use a refusal SCIM answers `409 uniqueness`.
 */
async function unique<T>(statement: () => Promise<T>): Promise<T> {
  try {
    return await statement();
  } catch (e) {
    if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
      if ((e.driverError as { constraint?: string }).constraint === 'teams_external_id') {
        throw new AppError(ErrorCode.BadUserInput, 'Another team of the organization has this externalId.', { scimType: 'uniqueness' });
      }
      throw new AppError(ErrorCode.TeamNameTaken, 'A team with this name already exists.');
    }
    throw e;
  }
}
