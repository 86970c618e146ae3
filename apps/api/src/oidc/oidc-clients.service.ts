import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { organizationOf, Principal } from '../core/access/principal';
import { AppError, notFound } from '../core/errors/app-error';
import { LOCKS } from '../core/database/locks';
import { OrgDb } from '../core/database/org-db';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { AuditService } from '../audit/audit.service';
import { urlShapeProblem } from '../core/security/url-shape';
import {
  CreateOidcClientInput,
  OIDC_CLIENTS_PER_ORGANIZATION,
  OidcClientModel,
  OidcClientWithSecretModel,
  UpdateOidcClientInput,
} from './oidc-client.model';

const COLUMNS = `id, client_id, organization_id, name, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri,
  public, first_party, created_at, updated_at`;

interface ClientRow {
  id: string;
  client_id: string;
  organization_id: string | null;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  public: boolean;
  first_party: boolean;
  created_at: Date;
  updated_at: Date;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A new client id: 'rst_client_' and 24 random base62 characters. */
function newClientId(): string {
  return `rst_client_${Array.from({ length: 24 }, () => BASE62[randomInt(62)]).join('')}`;
}

/**
 * What is wrong with a URI Roster would send people (or logout tokens) to, or null: an absolute https
 * URL (plain http only on a loopback host), without fragment or credentials, written without spaces,
 * control characters or backslashes (which the URL parser would quietly drop or turn).
 */
export function uriProblem(value: string): string | null {
  const problem = urlShapeProblem(value, { trailingDot: false });
  if (problem) return problem;
  const url = new URL(value);
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must be https (http only on a loopback address)';
}

/**
 * The OpenID Connect clients (table `oidc_clients`): an organization's, written through OrgDb behind
 * the second wall, and platform-wide ones (no organization), written by operators as platform work.
 * Secrets are 32 random bytes, shown once, sealed with ROSTER_SECRET_KEY (the provider needs the secret
 * itself, so it is sealed, not hashed). Every write is audited in its transaction.
 */
@Injectable()
export class OidcClientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  /** The organization's clients and the platform-wide ones, by name. */
  async list(actor: Principal): Promise<OidcClientModel[]> {
    const rows: ClientRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM oidc_clients WHERE organization_id = $1 OR organization_id IS NULL ORDER BY lower(name), id`,
      [organizationOf(actor)],
    );
    return rows.map(toModel);
  }

  async create(actor: Principal, input: CreateOidcClientInput): Promise<OidcClientWithSecretModel> {
    const organizationId = organizationOf(actor);
    const platformWide = input.platformWide === true;
    if (platformWide && !actor.operator) throw new AppError(ErrorCode.Forbidden, 'Only platform operators register platform-wide clients.');
    const uris = checkedUris(input);
    const secret = input.public ? null : randomBytes(32).toString('base64url');
    const owner = platformWide ? null : organizationId;
    return this.transaction(owner, async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.oidcClients}, hashtext(coalesce($1::text, 'platform')))`, [owner]);
      const [{ n }]: { n: number }[] = await tx.query(
        `SELECT count(*)::int AS n FROM oidc_clients WHERE organization_id IS NOT DISTINCT FROM $1::uuid`,
        [owner],
      );
      if (n >= OIDC_CLIENTS_PER_ORGANIZATION) {
        throw new AppError(ErrorCode.LimitReached, `At most ${OIDC_CLIENTS_PER_ORGANIZATION} clients: remove one first.`, {
          limit: OIDC_CLIENTS_PER_ORGANIZATION,
        });
      }
      const rows: ClientRow[] = await tx.query(
        `INSERT INTO oidc_clients (client_id, organization_id, name, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri,
                                   public, first_party, secret_sealed, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
        [
          newClientId(),
          owner,
          input.name,
          uris.redirectUris,
          uris.postLogoutRedirectUris,
          uris.backchannelLogoutUri,
          input.public,
          input.firstParty,
          secret && this.box.seal(secret),
          actor.userId,
        ],
      );
      await this.audit.record(tx, actor, 'oidc_client.created', null, {
        clientId: rows[0].client_id,
        name: input.name,
        public: input.public,
        firstParty: input.firstParty,
        platformWide,
        secretSet: secret !== null,
      });
      return { client: toModel(rows[0]), clientSecret: secret };
    });
  }

  async update(actor: Principal, input: UpdateOidcClientInput): Promise<OidcClientModel> {
    const uris = checkedUris(input);
    return this.write(actor, input.id, async (tx, row) => {
      // An UPDATE answers [rows, count].
      const [rows]: [ClientRow[], number] = await tx.query(
        `UPDATE oidc_clients SET name = $2, redirect_uris = $3, post_logout_redirect_uris = $4, backchannel_logout_uri = $5,
                first_party = $6, updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [row.id, input.name, uris.redirectUris, uris.postLogoutRedirectUris, uris.backchannelLogoutUri, input.firstParty],
      );
      if (row.first_party && !input.firstParty) {
        // Its grants were made without asking anyone: as a third-party application it asks for consent again.
        await tx.query(
          `DELETE FROM oidc_payloads WHERE grant_id IN (SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'clientId' = $1)
              OR (model = 'Grant' AND payload->>'clientId' = $1)`,
          [row.client_id],
        );
      }
      await this.audit.record(tx, actor, 'oidc_client.updated', null, {
        clientId: row.client_id,
        name: input.name,
        firstParty: input.firstParty,
        redirectUris: uris.redirectUris.length,
      });
      return toModel(rows[0]);
    });
  }

  /** Removes a client, and with it every grant, code and token it holds. */
  async delete(actor: Principal, id: string): Promise<boolean> {
    return this.write(actor, id, async (tx, row) => {
      await tx.query(`DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1`, [row.client_id]);
      await tx.query(`DELETE FROM oidc_clients WHERE id = $1`, [row.id]);
      await this.audit.record(tx, actor, 'oidc_client.deleted', null, { clientId: row.client_id, name: row.name });
      return true;
    });
  }

  /** A new secret for a confidential client (the old one stops working now), shown once. */
  async rotateSecret(actor: Principal, id: string): Promise<OidcClientWithSecretModel> {
    return this.write(actor, id, async (tx, row) => {
      if (row.public) throw new AppError(ErrorCode.BadUserInput, 'A public client has no secret.', { field: 'id' });
      const secret = randomBytes(32).toString('base64url');
      const [rows]: [ClientRow[], number] = await tx.query(
        `UPDATE oidc_clients SET secret_sealed = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [row.id, this.box.seal(secret)],
      );
      await this.audit.record(tx, actor, 'oidc_client.secret_rotated', null, { clientId: row.client_id });
      return { client: toModel(rows[0]), clientSecret: secret };
    });
  }

  /**
   * Runs a write on one client the caller may change: the organization's (through OrgDb) or a
   * platform-wide one (operators only, platform work). Another organization's is NOT_FOUND, as an
   * unknown id is.
   */
  private async write<T>(actor: Principal, id: string, work: (tx: EntityManager, row: ClientRow) => Promise<T>): Promise<T> {
    const organizationId = organizationOf(actor);
    const [found]: ClientRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM oidc_clients WHERE id = $1 AND (organization_id = $2 OR organization_id IS NULL)`,
      [id, organizationId],
    );
    if (!found) throw notFound('Client');
    if (found.organization_id === null && !actor.operator) {
      throw new AppError(ErrorCode.Forbidden, 'Only platform operators change platform-wide clients.');
    }
    return this.transaction(found.organization_id, async (tx) => {
      const [row]: ClientRow[] = await tx.query(
        `SELECT ${COLUMNS} FROM oidc_clients WHERE id = $1 AND organization_id IS NOT DISTINCT FROM $2::uuid FOR UPDATE`,
        [id, found.organization_id],
      );
      if (!row) throw notFound('Client');
      return work(tx, row);
    });
  }

  /** An organization's transaction behind the wall, or platform work for platform-wide clients. */
  private transaction<T>(organizationId: string | null, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return organizationId ? this.orgDb.transaction(organizationId, work) : this.db.transaction(work);
  }
}

/** The input's URIs, checked (BAD_USER_INPUT naming the field otherwise). */
function checkedUris(input: Pick<CreateOidcClientInput, 'redirectUris' | 'postLogoutRedirectUris' | 'backchannelLogoutUri'>): {
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
} {
  const list = (field: string, uris: string[], atLeastOne: boolean) => {
    if (atLeastOne && uris.length === 0) throw new AppError(ErrorCode.BadUserInput, 'Give at least one redirect URI.', { field });
    for (const uri of uris) {
      const problem = uriProblem(uri);
      if (problem) throw new AppError(ErrorCode.BadUserInput, `Not a usable URI: ${problem}.`, { field });
    }
    return [...new Set(uris)];
  };
  const backchannel = input.backchannelLogoutUri ?? null;
  if (backchannel !== null) list('backchannelLogoutUri', [backchannel], true);
  return {
    redirectUris: list('redirectUris', input.redirectUris, true),
    postLogoutRedirectUris: list('postLogoutRedirectUris', input.postLogoutRedirectUris ?? [], false),
    backchannelLogoutUri: backchannel,
  };
}

function toModel(r: ClientRow): OidcClientModel {
  return {
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    redirectUris: r.redirect_uris,
    postLogoutRedirectUris: r.post_logout_redirect_uris,
    backchannelLogoutUri: r.backchannel_logout_uri,
    public: r.public,
    firstParty: r.first_party,
    platformWide: r.organization_id === null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
