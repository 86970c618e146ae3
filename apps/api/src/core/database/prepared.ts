import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Query, type Pool, type QueryResult, type QueryResultRow } from 'pg';
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
    return this.run<T>(text, values, name);
  }

  /** Runs `text` unnamed, planned for these values (searches), straight on the pool like the named ones. */
  async unprepared<T extends QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    const counter = sqlStatements.getStore();
    if (counter) counter.n++;
    return this.run<T>(text, values);
  }

  /**
   * pg copies a query given as an object, property by property, into an object V8 then reads slowly
   * (a cost on every statement); a query built from its text is not copied, and the pool runs a built
   * query as it is, answering through its promise.
   */
  private async run<T extends QueryResultRow>(text: string, values: unknown[], name?: string): Promise<T[]> {
    // The name is read when the query is sent, as the field pg's constructor fills from a config object.
    const query: Query<T> & { name?: string } = new Query<T>(text, values);
    if (name) query.name = name;
    // pg's types give a submitted query back; at run time the pool answers it through a promise.
    const result = await (this.pool.query(query) as unknown as Promise<QueryResult<T>>);
    return result.rows;
  }
}
