import type { DataSource } from 'typeorm';
import type { SecretBox } from '../core/security/secret-box';

/** What `oidc-provider` stores and reads back through an adapter (its own shape, loosely typed). */
export type ProviderPayload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  consumed?: unknown;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** A registered client's row, as the provider's `Client` model reads it. */
export interface OidcClientRow {
  client_id: string;
  organization_id: string | null;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  public: boolean;
  first_party: boolean;
  secret_sealed: string | null;
}

/** Client ids Roster hands out: 'rst_client_' and 24 base62 characters. */
export const CLIENT_ID = /^rst_client_[0-9A-Za-z]{24}$/;

/** The provider's client metadata of a registered client (its secret opened here, and only here). */
export function clientMetadata(row: OidcClientRow, box: SecretBox): Record<string, unknown> {
  return {
    client_id: row.client_id,
    client_name: row.name,
    ...(row.public ? { token_endpoint_auth_method: 'none' } : { token_endpoint_auth_method: 'client_secret_basic' }),
    ...(row.secret_sealed ? { client_secret: box.open(row.secret_sealed) } : {}),
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    ...(row.backchannel_logout_uri
      ? { backchannel_logout_uri: row.backchannel_logout_uri, backchannel_logout_session_required: true }
      : {}),
    'urn:roster:organization_id': row.organization_id,
    'urn:roster:first_party': row.first_party,
    'urn:roster:public': row.public,
  };
}

/**
 * `oidc-provider`'s storage in PostgreSQL: every model in `oidc_payloads` (by model and id), clients read
 * from `oidc_clients`. Any instance finds what another stored. A consumed row (a used code, a rotated
 * refresh token) reads back `consumed`, which is how the provider refuses a replayed code and revokes the
 * grant of a reused refresh token. Each call is one statement on the pool (no connection held).
 */
export class PgAdapter {
  constructor(
    private readonly model: string,
    private readonly db: DataSource,
    private readonly box: SecretBox,
  ) {}

  /** Factory for the provider's `adapter` setting. */
  static factory(db: DataSource, box: SecretBox): (model: string) => PgAdapter {
    return (model) => new PgAdapter(model, db, box);
  }

  async upsert(id: string, payload: ProviderPayload, expiresIn: number | undefined): Promise<void> {
    if (this.model === 'Client') throw new Error('Clients are registered through GraphQL.');
    const accountId = str(payload.accountId);
    // A grant's organization is set by the interaction that makes it; what the grant issues inherits it.
    await this.db.query(
      `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, user_id, organization_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
               (SELECT g.organization_id FROM oidc_payloads g WHERE g.model = 'Grant' AND g.id = $4),
               CASE WHEN $8::int IS NULL THEN NULL ELSE now() + make_interval(secs => $8::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at,
         grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, user_id = EXCLUDED.user_id`,
      [
        this.model,
        id,
        JSON.stringify(payload),
        str(payload.grantId),
        str(payload.userCode),
        str(payload.uid),
        accountId && UUID.test(accountId) ? accountId : null,
        typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? Math.max(1, Math.ceil(expiresIn)) : null,
      ],
    );
  }

  async find(id: string): Promise<ProviderPayload | Record<string, unknown> | undefined> {
    if (this.model === 'Client') return this.findClient(id);
    return this.one(`model = $1 AND id = $2`, [this.model, id]);
  }

  findByUid(uid: string): Promise<ProviderPayload | undefined> {
    return this.one(`model = $1 AND uid = $2`, [this.model, uid]);
  }

  findByUserCode(userCode: string): Promise<ProviderPayload | undefined> {
    return this.one(`model = $1 AND user_code = $2`, [this.model, userCode]);
  }

  async consume(id: string): Promise<void> {
    await this.db.query(`UPDATE oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2 AND consumed_at IS NULL`, [
      this.model,
      id,
    ]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.query(`DELETE FROM oidc_payloads WHERE model = $1 AND id = $2`, [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query(`DELETE FROM oidc_payloads WHERE grant_id = $1 OR (model = 'Grant' AND id = $1)`, [grantId]);
  }

  private async one(where: string, params: unknown[]): Promise<ProviderPayload | undefined> {
    const rows: { payload: ProviderPayload; consumed: boolean }[] = await this.db.query(
      `SELECT payload, consumed_at IS NOT NULL AS consumed FROM oidc_payloads
        WHERE ${where} AND (expires_at IS NULL OR expires_at > now())`,
      params,
    );
    if (!rows[0]) return undefined;
    return rows[0].consumed ? { ...rows[0].payload, consumed: true } : rows[0].payload;
  }

  private async findClient(clientId: string): Promise<Record<string, unknown> | undefined> {
    if (!CLIENT_ID.test(clientId)) return undefined;
    const rows: OidcClientRow[] = await this.db.query(
      `SELECT client_id, organization_id, name, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri,
              public, first_party, secret_sealed
         FROM oidc_clients WHERE client_id = $1`,
      [clientId],
    );
    return rows[0] && clientMetadata(rows[0], this.box);
  }
}
