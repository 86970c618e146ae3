import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialHooks } from '../core/access/credential-hooks';
import { JanitorService } from '../core/database/janitor.service';
import { OrgDb } from '../core/database/org-db';
import { OrganizationsService } from '../organizations/organizations.service';
import { SessionEndHooks } from '../sessions/session-end-hooks';
import { OidcBackchannel } from './oidc-backchannel';

/** The provider session's payload key naming the Roster session it was born from (set at login). */
export const ROSTER_SESSION = 'rosterSession';

type SessionPayload = { authorizations?: Record<string, { sid?: string; grantId?: string }> };

/** Grants of suspended organizations ended per transaction, and transactions per janitor tick. */
const SUSPENDED_BATCH = 500;
const SUSPENDED_BATCHES_PER_TICK = 20;

/**
 * The provider's state and keys, as the rest of the feature and the janitor see them: expired
 * `oidc_payloads` rows are purged, and a signing key once two newer keys sign (it stopped signing a whole
 * rotation period ago: no token it signed is still alive, no cached key set still needs it). A grant
 * acts in one organization, recorded on its row (what it issues inherits it); the grants of an
 * organization no longer active (suspended, being deleted) are ended by the janitor.
 */
@Injectable()
export class OidcPayloads {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    janitor: JanitorService,
    credentials: CredentialHooks,
    sessionEnds: SessionEndHooks,
    private readonly backchannel: OidcBackchannel,
    private readonly organizations: OrganizationsService,
  ) {
    janitor.expire('oidc_payloads', 'expires_at < now()');
    janitor.expire(
      'oidc_signing_keys',
      `(SELECT count(*) FROM oidc_signing_keys n WHERE n.active_from > oidc_signing_keys.active_from AND n.active_from <= now()) >= 2`,
    );
    // A person's credentials ending (a new password, a deactivation, a deletion) ends what they granted
    // applications: provider sessions, grants, codes and refresh tokens; leaving one organization ends
    // the grants acting in it. Their access tokens (JWTs, unstored) die at userinfo and at expiry.
    credentials.onEnd('oidcGrants', ['password', 'deactivated', 'left-organization'], async (tx, userId, _keep, organizationId) => {
      // Who to tell (back-channel logout), read before the rows go: the person's provider sessions and,
      // leaving one organization, the grants acting in it.
      // Provider sessions belong to no organization: read across them, even from one organization's transaction.
      const sessions: { payload: SessionPayload }[] = await OrgDb.acrossOrganizations(tx, () =>
        tx.query(`SELECT payload FROM oidc_payloads WHERE model = 'Session' AND user_id = $1`, [userId]),
      );
      const grants = organizationId
        ? new Set(
            (
              (await tx.query(`SELECT id FROM oidc_payloads WHERE model = 'Grant' AND user_id = $1 AND organization_id = $2`, [
                userId,
                organizationId,
              ])) as { id: string }[]
            ).map((g) => g.id),
          )
        : undefined;
      const told = OidcBackchannel.authorizations(sessions, grants);
      // A DELETE answers [rows, count].
      const [, count]: [unknown, number] = organizationId
        ? await tx.query(`DELETE FROM oidc_payloads WHERE user_id = $1 AND organization_id = $2`, [userId, organizationId])
        : await tx.query(`DELETE FROM oidc_payloads WHERE user_id = $1`, [userId]);
      backchannel.after(userId, { model: 'Grant', ids: [...new Set(told.map((a) => a.grantId))] }, told);
      return count;
    });
    // A Roster session ending (a sign-out, a session revoked by its person or an admin) ends the provider
    // sessions born from it, and their applications are told; grants and refresh tokens stay (offline
    // access outlives a sign-out; they end with the person's credentials, above).
    sessionEnds.onEnd((tx, userId, sessionIds) =>
      // Platform work: provider sessions belong to no organization, whoever's transaction it is.
      OrgDb.acrossOrganizations(tx, async () => {
        const [ended]: [{ id: string; payload: SessionPayload }[], number] = await tx.query(
          `DELETE FROM oidc_payloads WHERE model = 'Session' AND user_id = $1 AND payload->>'${ROSTER_SESSION}' = ANY($2::text[])
           RETURNING id, payload`,
          [userId, sessionIds],
        );
        backchannel.after(userId, { model: 'Session', ids: ended.map((s) => s.id) }, OidcBackchannel.authorizations(ended));
      }),
    );
    // Suspending an organization stays one quick statement; what its members granted applications there
    // ends at the next tick.
    janitor.every('oidcSuspended', () => this.endSuspendedGrants());
  }

  /**
   * Ends the grants acting in an organization that is no longer active (suspended, or being deleted),
   * with the codes and refresh tokens issued under them, and tells the applications of the provider
   * sessions signed in under them (back-channel logout; the sessions stay, with the person's other
   * sign-ins). In batches of SUSPENDED_BATCH grants, each its own short transaction; instances skip the
   * grants another is ending (SKIP LOCKED). Platform work: the connecting role, across organizations.
   * With nothing suspended, one look at the organizations table. Returns the rows removed.
   */
  async endSuspendedGrants(): Promise<number> {
    // Read apart: with none (the usual case) oidc_payloads is never read; else its organization index finds their grants.
    const inactive = await this.organizations.inactiveIds();
    if (inactive.length === 0) return 0;
    let removed = 0;
    for (let i = 0; i < SUSPENDED_BATCHES_PER_TICK; i++) {
      const step = await this.db.transaction(async (tx) => {
        const grants: { id: string; user_id: string | null }[] = await tx.query(
          `SELECT id, user_id FROM oidc_payloads WHERE model = 'Grant' AND organization_id = ANY($1::uuid[])
            LIMIT ${SUSPENDED_BATCH} FOR UPDATE SKIP LOCKED`,
          [inactive],
        );
        if (grants.length === 0) return { grants: 0, rows: 0 };
        const ids = grants.map((g) => g.id);
        const people = [...new Set(grants.map((g) => g.user_id).filter((u): u is string => u !== null))];
        // Who to tell, read before the rows go: the provider sessions' sign-ins under these grants.
        const sessions: { user_id: string; payload: SessionPayload }[] = await tx.query(
          `SELECT user_id, payload FROM oidc_payloads WHERE model = 'Session' AND user_id = ANY($1::uuid[])`,
          [people],
        );
        // A DELETE answers [rows, count].
        const [, count]: [unknown, number] = await tx.query(
          `DELETE FROM oidc_payloads WHERE (model = 'Grant' AND id = ANY($1::text[])) OR grant_id = ANY($1::text[])`,
          [ids],
        );
        const ended = new Set(ids);
        for (const userId of people) {
          const told = OidcBackchannel.authorizations(
            sessions.filter((s) => s.user_id === userId),
            ended,
          );
          this.backchannel.after(userId, { model: 'Grant', ids: [...new Set(told.map((a) => a.grantId))] }, told);
        }
        return { grants: grants.length, rows: count };
      });
      removed += step.rows;
      if (step.grants < SUSPENDED_BATCH) break;
    }
    return removed;
  }

  /** Ends one provider session (its Roster session is gone from the browser) and tells its applications. */
  async endProviderSession(id: string): Promise<void> {
    const [ended]: [{ user_id: string | null; payload: SessionPayload }[], number] = await this.db.query(
      `DELETE FROM oidc_payloads WHERE model = 'Session' AND id = $1 RETURNING user_id, payload`,
      [id],
    );
    for (const session of ended) {
      if (session.user_id)
        this.backchannel.after(session.user_id, { model: 'Session', ids: [id] }, OidcBackchannel.authorizations([session]));
    }
  }

  /** Records the organization a grant acts in (set once, by the interaction that made the grant). */
  async setGrantOrganization(grantId: string, organizationId: string): Promise<void> {
    await this.db.query(`UPDATE oidc_payloads SET organization_id = $2 WHERE model = 'Grant' AND id = $1`, [grantId, organizationId]);
  }

  /** The organization a grant acts in (null: unknown grant, or expired). */
  async grantOrganization(grantId: string): Promise<string | null> {
    const rows: { organization_id: string | null }[] = await this.db.query(
      `SELECT organization_id FROM oidc_payloads WHERE model = 'Grant' AND id = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [grantId],
    );
    return rows[0]?.organization_id ?? null;
  }
}
