import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { LOCKS } from '../core/database/locks';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';

/** A new key is published this long before it signs: every instance re-reads the keys more often than that. */
export const KEY_LEAD_MINUTES = 10;
/** How often each instance re-reads the keys (below KEY_LEAD_MINUTES). */
export const KEY_REREAD_MS = 5 * 60_000;

/** The keys the provider holds: private JWKs, the one signing now first. */
export interface KeySet {
  /** The private keys (with `kid`, `alg`, `use`), signing key first; the provider publishes their public halves. */
  keys: JsonWebKey[];
  /** Which keys, in order: a change rebuilds the provider. */
  fingerprint: string;
}

interface KeyRow {
  kid: string;
  alg: string;
  private_jwk_sealed: string;
  signing: boolean;
  upcoming: boolean;
}

/**
 * The OpenID Provider's signing keys in PostgreSQL (table `oidc_signing_keys`), private halves sealed
 * with ROSTER_SECRET_KEY. Every OIDC_KEY_ROTATION_DAYS a new RS256 key is made (under an advisory lock,
 * by whichever instance finds it due), published KEY_LEAD_MINUTES before it signs so that every instance
 * (re-reading every five minutes) and every relying party's cached key set know it first. The key that
 * signed before stays published until the janitor removes it, once two newer keys have signed.
 */
@Injectable()
export class OidcKeys {
  private readonly logger = new Logger('OidcKeys');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** Makes the next key when the newest is due (or none exists). Returns 1 when it made one. */
  rotateIfDue(): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.oidcKeys})`);
      const [newest]: { due: boolean }[] = await tx.query(
        `SELECT active_from < now() - make_interval(days => $1::int) AS due FROM oidc_signing_keys ORDER BY active_from DESC LIMIT 1`,
        [this.config.oidcKeyRotationDays],
      );
      if (newest && !newest.due) return 0;
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = privateKey.export({ format: 'jwk' });
      const publicJwk = { kty: jwk.kty, n: jwk.n, e: jwk.e };
      // RFC 7638 thumbprint: the same key always has the same id.
      const kid = createHash('sha256')
        .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
        .digest('base64url');
      await tx.query(
        `INSERT INTO oidc_signing_keys (kid, alg, private_jwk_sealed, public_jwk, active_from)
         VALUES ($1, 'RS256', $2, $3, CASE WHEN $4 THEN now() + make_interval(mins => $5) ELSE now() END)`,
        [
          kid,
          this.box.seal(JSON.stringify(jwk)),
          JSON.stringify({ ...publicJwk, kid, alg: 'RS256', use: 'sig' }),
          !!newest,
          KEY_LEAD_MINUTES,
        ],
      );
      this.logger.log(
        newest ? `Made the next signing key ${kid}, signing in ${KEY_LEAD_MINUTES} minutes` : `Made the first signing key ${kid}`,
      );
      return 1;
    });
  }

  /**
   * The keys to publish: the upcoming one, the one signing now (first), and the one that signed before
   * it. Null when there is none yet.
   */
  async read(): Promise<KeySet | null> {
    const rows: KeyRow[] = await this.db.query(
      `WITH k AS (
         SELECT kid, alg, private_jwk_sealed, active_from > now() AS upcoming,
                row_number() OVER (PARTITION BY active_from <= now() ORDER BY active_from DESC) AS n
           FROM oidc_signing_keys)
       SELECT kid, alg, private_jwk_sealed, upcoming, NOT upcoming AND n = 1 AS signing
         FROM k WHERE upcoming OR n <= 2
        ORDER BY (NOT upcoming AND n = 1) DESC, upcoming DESC, n`,
    );
    if (!rows.some((r) => r.signing)) return null;
    const keys = rows.map((r) => ({
      ...(JSON.parse(this.box.open(r.private_jwk_sealed)) as JsonWebKey),
      kid: r.kid,
      alg: r.alg,
      use: 'sig',
    }));
    return { keys, fingerprint: rows.map((r) => r.kid).join(',') };
  }
}
