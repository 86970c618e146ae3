import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../core/access/principal';
import { AuditFilter, auditPageQuery, AuditRow, decodeAuditCursor, DISTINCT_ACTIONS_SQL, encodeAuditCursor } from './audit-query';
import type { AuditEventPage } from './audit.model';

export interface AuditOptions {
  /** A platform event (organizations, operators): it belongs to no organization. */
  platform?: boolean;
}

export interface AuditTarget {
  id: string | null;
  email?: string | null;
}

/** Admin actions, written in the same transaction as the change they describe. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(
    manager: EntityManager,
    actor: Pick<Principal, 'userId' | 'email'> | null,
    action: string,
    target: AuditTarget | null,
    details: Record<string, unknown> = {},
    options: AuditOptions = {},
  ): Promise<void> {
    const values = [
      actor?.userId ?? null,
      actor?.email ?? null,
      action,
      target?.id ?? null,
      target?.email ?? null,
      JSON.stringify(details),
    ];
    await manager.query(
      options.platform
        ? `INSERT INTO audit_events (actor_id, actor_email, action, target_id, target_email, details, organization_id)
           VALUES ($1, $2, $3, $4, $5, $6, NULL)`
        : `INSERT INTO audit_events (actor_id, actor_email, action, target_id, target_email, details) VALUES ($1, $2, $3, $4, $5, $6)`,
      values,
    );
  }

  /** One page newest first, in one statement (one more row than asked tells whether older ones follow). */
  async page(first: number, after: string | null, filter: AuditFilter): Promise<AuditEventPage> {
    const cursor = after ? decodeAuditCursor(after) : null;
    const { sql, params } = auditPageQuery(filter, cursor, first + 1);
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

  /** A batch of the export: `limit` events after the (internal) cursor position, newest first. */
  async batch(filter: AuditFilter, after: { at: string; id: string } | null, limit: number): Promise<AuditRow[]> {
    const { sql, params } = auditPageQuery(filter, after, limit);
    return this.db.query(sql, params);
  }

  /** Every action recorded so far, in alphabetical order. */
  async actions(): Promise<string[]> {
    const rows: { action: string }[] = await this.db.query(DISTINCT_ACTIONS_SQL);
    return rows.map((r) => r.action);
  }
}
