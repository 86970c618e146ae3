import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, Permission } from '@roster/contracts/permissions';
import { AppError, notFound } from '../core/app-error';
import { LOCKS } from '../core/locks';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { SessionService } from '../auth/session.service';
import { UserConnection, UserModel } from './user.model';
import {
  buildPageQuery, countCap, encodeCursor, likeOn, likePattern, normaliseSearch, PageArgs, toUserModel, USER_COLUMNS, USER_FROM, UserRow,
} from './users-query';

export interface UpdateUserChanges {
  firstName?: string;
  lastName?: string;
  roleId?: string;
  teamIds?: string[];
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
  ) {}

  async page(args: PageArgs): Promise<UserConnection> {
    const q = buildPageQuery(args);
    const rows: UserRow[] = await this.db.query(q.sql, q.params);
    const more = rows.length > q.limit;
    const pageRows = rows.slice(0, q.limit);
    if (q.backward) pageRows.reverse();
    const edges = pageRows.map((row) => ({ cursor: encodeCursor(args.sortBy, row.sort_key, row.id), node: toUserModel(row) }));
    const hasCursor = Boolean(q.backward ? args.before : args.after);
    const search = normaliseSearch(args.search);
    const total = rows[0]?.total_count;
    const cap = search ? countCap(search) : Infinity;
    const count = total === undefined ? undefined : Promise.resolve({ count: Math.min(Number(total), cap), exact: Number(total) <= cap });
    return {
      edges,
      pageInfo: {
        hasNextPage: q.backward ? hasCursor : more,
        hasPreviousPage: q.backward ? more : hasCursor,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      search,
      count,
    };
  }

  /** Exact for the whole table (a trigger-kept counter); capped for searches. */
  async count(search: string | null): Promise<{ count: number; exact: boolean }> {
    if (!search) {
      const rows: { n: string }[] = await this.db.query(`SELECT n FROM user_counts WHERE id = 1`);
      return { count: Number(rows[0]?.n ?? 0), exact: true };
    }
    const cap = countCap(search);
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM users WHERE ${likeOn('email', search, '$1')} LIMIT ${cap + 1}) m`,
      [likePattern(search)],
    );
    const n = Number(rows[0].n);
    return { count: Math.min(n, cap), exact: n <= cap };
  }

  async findByIds(ids: string[], manager: EntityManager = this.db.manager): Promise<UserModel[]> {
    if (ids.length === 0) return [];
    const rows: UserRow[] = await manager.query(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, toUserModel(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async findById(id: string, manager?: EntityManager): Promise<UserModel> {
    const [user] = await this.findByIds([id], manager);
    if (!user) throw notFound('User');
    return user;
  }

  /** Edit names, role and teams (SPEC §3), with the guard rails, in one transaction. */
  async update(actor: Principal, id: string, changes: UpdateUserChanges): Promise<UserModel> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins})`);
      const target = await this.lockTarget(tx, actor, id);
      const diff: Record<string, unknown> = {};
      if (changes.roleId !== undefined && changes.roleId !== target.role_id) {
        if (target.id === actor.userId) throw new AppError(ErrorCode.SelfRoleChange, 'You cannot change your own role.');
        const role = await this.roleOrFail(tx, changes.roleId);
        if (!canGrantRole(actor.permissions, role.permissions)) {
          throw new AppError(ErrorCode.RoleNotGrantable, `You cannot grant the ${role.name} role.`);
        }
        await this.assertAdminRemains(tx, target, role.permissions);
        await tx.query(`UPDATE users SET role_id = $2, updated_at = now() WHERE id = $1`, [id, role.id]);
        diff['role'] = { from: target.role_name, to: role.name };
      }
      const names: [string, string, string | undefined][] = [
        ['first_name', 'firstName', changes.firstName],
        ['last_name', 'lastName', changes.lastName],
      ];
      for (const [column, field, value] of names) {
        if (value !== undefined && value !== target[column as 'first_name' | 'last_name']) {
          await tx.query(`UPDATE users SET ${column} = $2, updated_at = now() WHERE id = $1`, [id, value]);
          diff[field] = { from: target[column as 'first_name' | 'last_name'], to: value };
        }
      }
      if (changes.teamIds !== undefined) {
        const teamIds = [...new Set(changes.teamIds)];
        const before = target.teams.map((t) => t.id).sort();
        if (before.join() !== [...teamIds].sort().join()) {
          await this.setTeams(tx, id, teamIds);
          diff['teams'] = { from: target.teams.map((t) => t.name), to: teamIds };
        }
      }
      if (Object.keys(diff).length) {
        await this.audit.record(tx, actor, diff['role'] ? 'user.role_changed' : 'user.updated', { id, email: target.email }, diff);
      }
      return this.findById(id, tx);
    });
  }

  /** Irreversible: sessions, memberships and invitations go with the row (ON DELETE CASCADE). */
  async delete(actor: Principal, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.admins})`);
      if (id === actor.userId) throw new AppError(ErrorCode.SelfDelete, 'You cannot delete yourself.');
      const target = await this.lockTarget(tx, actor, id);
      await this.assertAdminRemains(tx, target, []);
      await tx.query(`DELETE FROM users WHERE id = $1`, [id]);
      await this.audit.record(tx, actor, 'user.deleted', { id, email: target.email }, { role: target.role_name });
    });
  }

  async revokeSessions(actor: Principal, id: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const target = await this.lockTarget(tx, actor, id);
      const n = await this.sessions.revokeAllFor(id, null, tx);
      await this.audit.record(tx, actor, 'user.sessions_revoked', { id, email: target.email }, { sessions: n });
      return n;
    });
  }

  async setTeams(tx: EntityManager, userId: string, teamIds: string[]): Promise<void> {
    if (teamIds.length) {
      const found: { id: string }[] = await tx.query(`SELECT id FROM teams WHERE id = ANY($1::uuid[])`, [teamIds]);
      if (found.length !== teamIds.length) throw notFound('Team');
    }
    await tx.query(`DELETE FROM user_teams WHERE user_id = $1`, [userId]);
    if (teamIds.length) {
      await tx.query(`INSERT INTO user_teams (user_id, team_id) SELECT $1, unnest($2::uuid[])`, [userId, teamIds]);
    }
  }

  async roleOrFail(tx: EntityManager, roleId: string): Promise<{ id: string; name: string; permissions: string[] }> {
    const rows = await tx.query(`SELECT id, name, permissions FROM roles WHERE id = $1`, [roleId]);
    if (!rows[0]) throw notFound('Role');
    return rows[0];
  }

  /** Locks the target row; a person may act only on people whose role they could grant. */
  private async lockTarget(tx: EntityManager, actor: Principal, id: string): Promise<UserRow> {
    const locked = await tx.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [id]);
    if (!locked[0]) throw notFound('User');
    const rows: UserRow[] = await tx.query(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = $1`, [id]);
    const target = rows[0];
    if (target.id !== actor.userId && !canGrantRole(actor.permissions, target.role_permissions)) {
      throw new AppError(ErrorCode.Forbidden, `You cannot manage someone with the ${target.role_name} role.`);
    }
    return target;
  }

  /** Refuses to leave the platform without an active admin (SPEC §3, §5). Caller holds LOCKS.admins. */
  private async assertAdminRemains(tx: EntityManager, target: UserRow, newPermissions: string[]): Promise<void> {
    const wasAdmin = target.status === 'ACTIVE' && target.role_permissions.includes(Permission.RolesGrantAdmin);
    if (!wasAdmin || newPermissions.includes(Permission.RolesGrantAdmin)) return;
    const others: { n: string }[] = await tx.query(
      `SELECT count(*) AS n FROM users u JOIN roles r ON r.id = u.role_id
        WHERE u.status = 'ACTIVE' AND $2 = ANY(r.permissions) AND u.id <> $1`,
      [target.id, Permission.RolesGrantAdmin],
    );
    if (Number(others[0].n) === 0) throw new AppError(ErrorCode.LastAdmin, 'This is the last admin: the admin role cannot be removed.');
  }
}
