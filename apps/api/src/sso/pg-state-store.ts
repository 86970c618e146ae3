import type { Request, Response } from 'express';
import { Cookie } from '@roster/contracts/http';
import { DataSource } from 'typeorm';
import { hashToken, newToken, safeEqual } from '../core/access/tokens';

const TTL_MS = 10 * 60_000;

type Callback = (err: Error | null, ...rest: unknown[]) => void;

/**
 * passport-openidconnect's state store, in PostgreSQL (any instance can finish a sign-in another
 * started). The state is single-use, expires after 10 minutes, and is bound to the browser that
 * started it through an httpOnly cookie, so a stolen callback URL cannot sign anyone else in.
 */
export class PgStateStore {
  constructor(
    private readonly db: DataSource,
    private readonly secureCookie: boolean,
    /** Whose connection this store's sign-ins go through: kept with the state, so the one callback picks it. */
    private readonly organizationId: string,
  ) {}

  /** The organization a state was started for, without using it up (null: unknown, expired, or from before organizations). */
  static async organizationOf(db: DataSource, handle: string): Promise<string | null> {
    const rows: { organization_id: string | null }[] = await db.query(
      `SELECT context->>'organizationId' AS organization_id FROM oidc_states WHERE handle_hash = $1 AND expires_at > now()`,
      [hashToken(handle)],
    );
    return rows[0]?.organization_id ?? null;
  }

  store(req: Request, ctx: Record<string, unknown>, appState: unknown, _meta: unknown, cb: Callback): void {
    const handle = newToken(24);
    const browser = newToken(24);
    const res = (req as Request & { res: Response }).res;
    res.cookie(Cookie.SsoBrowser, browser, {
      httpOnly: true,
      secure: this.secureCookie,
      sameSite: 'lax',
      path: '/auth/sso',
      maxAge: TTL_MS,
    });
    this.db
      .query(`DELETE FROM oidc_states WHERE expires_at < now()`)
      .then(() =>
        this.db.query(`INSERT INTO oidc_states (handle_hash, browser_hash, context, expires_at) VALUES ($1, $2, $3, $4)`, [
          hashToken(handle),
          hashToken(browser),
          JSON.stringify({ ...ctx, organizationId: this.organizationId, state: appState ?? null }),
          new Date(Date.now() + TTL_MS),
        ]),
      )
      .then(
        () => cb(null, handle),
        (e: Error) => cb(e),
      );
  }

  verify(req: Request, handle: string, cb: Callback): void {
    const browser = req.cookies?.[Cookie.SsoBrowser];
    this.db
      .query(`DELETE FROM oidc_states WHERE handle_hash = $1 AND expires_at > now() RETURNING browser_hash, context`, [
        hashToken(String(handle)),
      ])
      .then(
        ([rows]: [{ browser_hash: Buffer; context: { nonce?: string; maxAge?: number; issued?: string; state: unknown } }[]]) => {
          const row = rows[0];
          const sameBrowser =
            row && typeof browser === 'string' && safeEqual(row.browser_hash.toString('hex'), hashToken(browser).toString('hex'));
          if (!row || !sameBrowser) return cb(null, false, { message: 'STATE' });
          const { state, issued, organizationId, ...ctx } = row.context as typeof row.context & { organizationId?: string };
          // A state started for another organization's connection: not this one's to finish.
          if (organizationId !== undefined && organizationId !== this.organizationId) return cb(null, false, { message: 'STATE' });
          cb(null, { ...ctx, issued: issued ? new Date(issued) : undefined }, state);
        },
        (e: Error) => cb(e),
      );
  }
}
