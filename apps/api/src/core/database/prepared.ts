import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { sqlStatements } from '../sql-counter';

/**
 * Named (prepared) statements on the application's pool, for the fixed statements of the hot path:
 * PostgreSQL parses and plans each once per connection instead of on every request. Only for
 * statements whose best plan does not depend on the values (never for searches: a generic plan
 * cannot tell a rare term from a common one).
 */
/** Each connection keeps what it prepared: a bound on the shapes keeps that memory bounded too. */
const MAX_NAMES = 500;

@Injectable()
export class PreparedStatements {
  private readonly names = new Map<string, string>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get pool(): Pool {
    return (this.db.driver as unknown as { master: Pool }).master;
  }

  /** Runs `text` as a named statement (its name derives from the text, so each shape is prepared once). */
  async query<T extends QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    let name = this.names.get(text);
    if (!name && this.names.size < MAX_NAMES) {
      name = `r_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
      this.names.set(text, name);
    }
    const counter = sqlStatements.getStore();
    if (counter) counter.n++;
    const result = await this.pool.query<T>(name ? { name, text, values } : { text, values });
    return result.rows;
  }
}
