import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditAction } from '@roster/contracts/audit-actions';
import type { Principal, PrincipalOrganization } from '../core/access/principal';
import {
  AuditFilter,
  AuditOwner,
  auditPageQuery,
  AuditRow,
  decodeAuditCursor,
  distinctActionsQuery,
  encodeAuditCursor,
} from './audit-query';
import type { AuditEventRow } from './audit-json';
import type { AuditEventPage } from './audit.model';

/**
 * Who did it: the principal of the request (its organization is the event's), or a person named by
 * hand where no one is signed in yet (a registration, a reset link, an SSO sign-up), or nobody.
 */
export type AuditActor = Pick<Principal, 'userId' | 'email'> &
  Partial<Pick<Principal, 'via' | 'tokenId' | 'tokenName'>> & { organization?: Pick<PrincipalOrganization, 'id'> | null };

export interface AuditOptions {
  /** A platform event (organizations, operators): it belongs to no organization. */
  platform?: boolean;
  /** The organization the event belongs to, for a caller that knows it but has no principal acting in it. */
  organizationId?: string;
}

export interface AuditTarget {
  id: string | null;
  email?: string | null;
}

/** Admin actions, written in the same transaction as the change they describe. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Writes one event, in `manager`'s transaction. It belongs to the platform (`options.platform`), or
   * to the organization named by `options.organizationId`, else by the actor's principal. When neither
   * is known (a public flow: an accepted invitation, a reset link asked for, an SSO sign-up, a mail
   * that failed), it is written once for each organization the person it is about (the target, else the
   * actor) belongs to, in the same statement; an event about nobody who belongs anywhere is the
   * platform's, so that none is lost. An actor acting through an API token (`via: 'bearer'`) is its
   * owner (`actor_id`, `actor_email`), and the details say which token acted: `token: { id, name }`.
   */
  async record(
    manager: EntityManager,
    actor: AuditActor | null,
    action: AuditAction,
    target: AuditTarget | null,
    details: Record<string, unknown> = {},
    options: AuditOptions = {},
  ): Promise<void> {
    if (actor?.via === 'bearer' && actor.tokenId) details = { ...details, token: { id: actor.tokenId, name: actor.tokenName ?? null } };
    const values: unknown[] = [
      actor?.userId ?? null,
      actor?.email ?? null,
      action,
      target?.id ?? null,
      target?.email ?? null,
      JSON.stringify(details),
    ];
    const insert = `INSERT INTO audit_events (organization_id, actor_id, actor_email, action, target_id, target_email, details)`;
    const event = `$1::uuid, $2::text, $3::text, $4::uuid, $5::text, $6::jsonb`;
    if (options.platform) {
      await manager.query(`${insert} VALUES (NULL, ${event})`, values);
      return;
    }
    const organizationId = options.organizationId ?? actor?.organization?.id ?? null;
    if (organizationId) {
      await manager.query(`${insert} VALUES ($7::uuid, ${event})`, [...values, organizationId]);
      return;
    }
    // Through memberships, read here: the people's owner records its changes through this service.
    await manager.query(
      `${insert}
       SELECT o.id, ${event}
         FROM (SELECT organization_id AS id FROM memberships WHERE user_id = $7::uuid
               UNION ALL
               SELECT NULL::uuid WHERE NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = $7::uuid)) o`,
      [...values, target?.id ?? actor?.userId ?? null],
    );
  }

  /**
   * One page of `owner`'s events newest first, in one statement (one more row than asked tells
   * whether older ones follow).
   */
  async page(owner: AuditOwner, first: number, after: string | null, filter: AuditFilter): Promise<AuditEventPage> {
    const cursor = after ? decodeAuditCursor(after) : null;
    const { sql, params } = auditPageQuery(owner, filter, cursor, first + 1);
    const rows: AuditRow[] = await this.db.query(sql, params);
    const events = rows.slice(0, first);
    const last = events[events.length - 1];
    return {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeAuditCursor(last.cursor_at, last.id) : null,
      events: events.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        actorId: r.actor_id,
        actorEmail: r.actor_email,
        action: r.action,
        targetId: r.target_id,
        targetEmail: r.target_email,
        details: JSON.stringify(r.details),
      })),
    };
  }

  /** A batch of the export: `limit` of `owner`'s events after the (internal) cursor position, newest first. */
  async batch(owner: AuditOwner, filter: AuditFilter, after: { at: string; id: string } | null, limit: number): Promise<AuditRow[]> {
    const { sql, params } = auditPageQuery(owner, filter, after, limit);
    return this.db.query(sql, params);
  }

  /**
   * Events by id, in one statement, each with the organization it belongs to (the caller checks it is the
   * one it expects: `checkedRows`). Ids not found are left out.
   */
  async eventsByIds(ids: string[], manager: EntityManager = this.db.manager): Promise<AuditEventRow[]> {
    if (!ids.length) return [];
    return manager.query(
      `SELECT id, organization_id, created_at, actor_id, actor_email, action, target_id, target_email, details
         FROM audit_events WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }

  /** Every action recorded so far among `owner`'s events, in alphabetical order. */
  async actions(owner: AuditOwner): Promise<string[]> {
    const { sql, params } = distinctActionsQuery(owner);
    const rows: { action: string }[] = await this.db.query(sql, params);
    return rows.map((r) => r.action);
  }
}
