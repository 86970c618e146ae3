import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { poolOf } from '../core/database/pool';
import { AppError, notFound } from '../core/errors/app-error';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../core/access/principal';
import { TeamModel } from './team.model';

@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<TeamModel[]> {
    const rows: { id: string; name: string; member_count: string }[] = await this.db.query(
      `SELECT t.id, t.name, (SELECT count(*) FROM user_teams ut WHERE ut.team_id = t.id) AS member_count
         FROM teams t ORDER BY lower(t.name)`,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, memberCount: Number(r.member_count) }));
  }

  /** Every team's id and name, in `ORDER BY name` order (the export's Teams column sorts names the same way). */
  names(): Promise<{ id: string; name: string }[]> {
    return this.db.query(`SELECT id, name FROM teams ORDER BY name`);
  }

  /**
   * The team ids of each of `userIds`, in the same order, joined with "," (null without teams): the
   * export's Teams column. Straight from user_teams' primary key, names are mapped by the caller from one
   * read of teams per export: a join to teams and a sorted string_agg per row cost PostgreSQL about as
   * much as the rest of the row. Rows as arrays from the application's pg pool (no object per row).
   */
  async idsPerUser(userIds: string[]): Promise<(string | null)[]> {
    if (!userIds.length) return [];
    const result = await poolOf(this.db).query<[string | null]>({
      text: `SELECT (SELECT string_agg(ut.team_id::text, ',') FROM user_teams ut WHERE ut.user_id = b.id)
               FROM unnest($1::uuid[]) WITH ORDINALITY b(id, n) ORDER BY b.n`,
      // An array literal: ids from PostgreSQL need no quoting (pg would escape each element of a JS array).
      values: [`{${userIds.join(',')}}`],
      rowMode: 'array',
    });
    return result.rows.map(([ids]) => ids);
  }

  create(actor: Principal, name: string): Promise<TeamModel> {
    return this.write(async (tx) => {
      const rows: { id: string }[] = await tx.query(`INSERT INTO teams (name) VALUES ($1) RETURNING id`, [name]);
      await this.audit.record(tx, actor, 'team.created', null, { teamId: rows[0].id, name });
      return { id: rows[0].id, name, memberCount: 0 };
    });
  }

  rename(actor: Principal, id: string, name: string): Promise<TeamModel> {
    return this.write(async (tx) => {
      const before: { name: string }[] = await tx.query(`SELECT name FROM teams WHERE id = $1 FOR UPDATE`, [id]);
      if (!before[0]) throw notFound('Team');
      await tx.query(`UPDATE teams SET name = $2 WHERE id = $1`, [id, name]);
      await this.audit.record(tx, actor, 'team.renamed', null, { teamId: id, from: before[0].name, to: name });
      const count: { n: string }[] = await tx.query(`SELECT count(*) AS n FROM user_teams WHERE team_id = $1`, [id]);
      return { id, name, memberCount: Number(count[0].n) };
    });
  }

  delete(actor: Principal, id: string): Promise<boolean> {
    return this.write(async (tx) => {
      // TypeORM answers DELETE … RETURNING with [rows, affected].
      const [rows]: [{ name: string }[], number] = await tx.query(`DELETE FROM teams WHERE id = $1 RETURNING name`, [id]);
      if (!rows[0]) throw notFound('Team');
      await this.audit.record(tx, actor, 'team.deleted', null, { teamId: id, name: rows[0].name });
      return true;
    });
  }

  /** Makes `teamIds` a person's complete set of teams (inside the caller's transaction); NOT_FOUND for an unknown team. */
  async setMemberships(tx: EntityManager, userId: string, teamIds: string[]): Promise<void> {
    if (teamIds.length) {
      const found: { id: string }[] = await tx.query(`SELECT id FROM teams WHERE id = ANY($1::uuid[])`, [teamIds]);
      if (found.length !== teamIds.length) throw notFound('Team');
    }
    await tx.query(`DELETE FROM user_teams WHERE user_id = $1`, [userId]);
    if (teamIds.length) {
      await tx.query(`INSERT INTO user_teams (user_id, team_id) SELECT $1, unnest($2::uuid[])`, [userId, teamIds]);
    }
  }

  private async write<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
        throw new AppError(ErrorCode.TeamNameTaken, 'A team with this name already exists.');
      }
      throw e;
    }
  }
}
