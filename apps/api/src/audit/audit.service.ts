import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../core/access/principal';

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
  ): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events (actor_id, actor_email, action, target_id, target_email, details) VALUES ($1, $2, $3, $4, $5, $6)`,
      [actor?.userId ?? null, actor?.email ?? null, action, target?.id ?? null, target?.email ?? null, JSON.stringify(details)],
    );
  }

  async page(first: number, after: string | null, action: string | null) {
    const params: unknown[] = [first + 1];
    let where = 'TRUE';
    if (after) {
      // Event ids are bigints: anything else (or past the largest one) has nothing older.
      if (!/^\d{1,19}$/.test(after) || BigInt(after) > 9223372036854775807n) return { events: [], hasNextPage: false };
      params.push(after);
      where += ` AND id < $${params.length}`;
    }
    if (action) {
      params.push(action);
      where += ` AND action = $${params.length}`;
    }
    const rows: {
      id: string;
      created_at: Date;
      actor_id: string | null;
      actor_email: string | null;
      action: string;
      target_id: string | null;
      target_email: string | null;
      details: Record<string, unknown>;
    }[] = await this.db.query(`SELECT * FROM audit_events WHERE ${where} ORDER BY id DESC LIMIT $1`, params);
    return {
      hasNextPage: rows.length > first,
      events: rows.slice(0, first).map((r) => ({
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
}
