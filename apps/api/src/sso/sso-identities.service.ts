import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';

/** An identity-provider account: the issuer that vouches for it and the subject (`sub`) it gives the person. */
export interface ProviderAccount {
  issuer: string;
  sub: string;
}

const conflict = () => new AppError(ErrorCode.SsoAccountConflict, 'This identity-provider account belongs to another user.');

/**
 * The identity-provider accounts linked to people (sso_identities): one row per person and connection,
 * holding the issuer and the subject the provider gives them. A returning sign-in finds its person by
 * (issuer, subject), through any organization's connection to that issuer, never by the email alone.
 */
@Injectable()
export class SsoIdentitiesService {
  /**
   * The person an account is linked to, through the connection `organizationId` first, else through
   * another organization's connection to the same issuer; null when it is linked to nobody.
   */
  async personOf(tx: EntityManager, account: ProviderAccount, organizationId: string): Promise<string | null> {
    const rows: { user_id: string }[] = await tx.query(
      `SELECT user_id FROM sso_identities WHERE issuer = $1 AND subject = $2 ORDER BY organization_id = $3 DESC, created_at LIMIT 1`,
      [account.issuer, account.sub, organizationId],
    );
    return rows[0]?.user_id ?? null;
  }

  /** The account a person has linked through the connection `organizationId`, or null. */
  async accountOf(tx: EntityManager, userId: string, organizationId: string): Promise<ProviderAccount | null> {
    const rows: { issuer: string; subject: string }[] = await tx.query(
      `SELECT issuer, subject FROM sso_identities WHERE organization_id = $1 AND user_id = $2`,
      [organizationId, userId],
    );
    return rows[0] ? { issuer: rows[0].issuer, sub: rows[0].subject } : null;
  }

  /**
   * Links the account to the person through the connection `organizationId`, in the caller's transaction
   * (true when a link was added, false when it was there). SSO_ACCOUNT_CONFLICT, adding nothing, when the
   * account is linked to someone else, or the person has another account of that connection.
   */
  async link(tx: EntityManager, account: ProviderAccount, userId: string, organizationId: string): Promise<boolean> {
    // One link of an account at a time, whichever organization's connection it goes through.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sso_identity|${account.issuer}|${account.sub}`]);
    const owner = await this.personOf(tx, account, organizationId);
    if (owner !== null && owner !== userId) throw conflict();
    const rows: unknown[] = await tx.query(
      `INSERT INTO sso_identities (organization_id, issuer, subject, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [organizationId, account.issuer, account.sub, userId],
    );
    if (rows.length > 0) return true;
    // Not added: the very link exists, or the person has another account of this connection.
    const linked = await this.accountOf(tx, userId, organizationId);
    if (linked?.issuer === account.issuer && linked.sub === account.sub) return false;
    throw new AppError(ErrorCode.SsoAccountConflict, 'This account is linked to another identity-provider account.');
  }

  /** A connection now trusts another issuer: the accounts linked through it go (their subjects mean nothing to the new one). */
  async forget(tx: EntityManager, organizationId: string): Promise<void> {
    await tx.query(`DELETE FROM sso_identities WHERE organization_id = $1`, [organizationId]);
  }
}
