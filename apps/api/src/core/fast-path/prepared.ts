import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Query, type Pool, type QueryResult, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { sqlStatements } from '../observability/sql-counter';
import { poolOf } from '../database/pool';

/**
 * Named (prepared) statements on the application's pool, for the fixed statements of the hot path:
 * PostgreSQL parses and plans each once per connection instead of on every request. Only for
 * statements whose best plan does not depend on the values (searches only in a small organization, or known to be
 * rare: elsewhere a generic plan cannot tell a rare term from a common one).
 *
 * A pooler in transaction mode (PgBouncer before 1.21, or without max_prepared_statements) gives each
 * statement whichever server connection is free, where the name was never prepared or already was:
 * DATABASE_PREPARED_STATEMENTS=false runs every statement unnamed. Left on there, the first such
 * refusal is said once and the process goes on unnamed; the refused statement never ran (the server
 * refuses it at Parse or Bind, before executing anything), so it is run again, unnamed.
 */
/** Each connection keeps what it prepared: a bound on the shapes keeps that memory bounded too. */
const MAX_NAMES = 500;
/** duplicate_prepared_statement, invalid_sql_statement_name: the name met another server connection. */
const NAME_LOST = new Set(['42P05', '26000']);

@Injectable()
export class PreparedStatements {
  private readonly logger = new Logger('Database');
  private readonly names = new Map<string, string>();
  private named: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.named = config.database.preparedStatements;
  }

  private get pool(): Pool {
    return poolOf(this.db);
  }

  /** Runs `text` as a named statement (its name derives from the text, so each shape is prepared once). */
  async query<T extends QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    if (!this.named) return this.unprepared<T>(text, values);
    let name = this.names.get(text);
    if (!name && this.names.size < MAX_NAMES) {
      name = `r_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
      this.names.set(text, name);
    }
    const counter = sqlStatements.getStore();
    if (counter) counter.n++;
    return this.withName(name, (n) => this.run<T>(text, values, n));
  }

  /**
   * The pool as a library that names its own statements sees it (rate-limiter-flexible): its names
   * follow the same setting, and the same fallback.
   */
  readonly store = {
    query: (config: { name?: string; text: string; values?: unknown[] }): Promise<QueryResult> =>
      this.withName(config.name, (name) => this.pool.query(name ? config : { text: config.text, values: config.values })),
  };

  /** Sends with the name while names are on; a name the server refuses turns them off, and it is sent again unnamed. */
  private async withName<R>(name: string | undefined, send: (name?: string) => Promise<R>): Promise<R> {
    if (!name || !this.named) return send();
    try {
      return await send(name);
    } catch (e) {
      if (!NAME_LOST.has((e as { code?: string }).code ?? '')) throw e;
      if (this.named) {
        this.named = false;
        this.logger.warn(
          `Named statements fail on this database address (${(e as Error).message}): a pooler in transaction mode? ` +
            'Statements now run unnamed in this process; set DATABASE_PREPARED_STATEMENTS=false (see docs/scaling.md).',
        );
      }
      return send();
    }
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
