import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OidcProviderHost } from './oidc-provider.host';

/** A provider session's sign-in at one client: what a logout token names. */
export interface Authorization {
  clientId: string;
  sid: string;
  /** The grant it was made under. */
  grantId: string;
}

/** The `oidc_payloads` rows an ending transaction deletes: gone once it has committed. */
export interface Ended {
  model: 'Grant' | 'Session';
  ids: string[];
}

const logouts = new Counter({
  name: 'roster_oidc_backchannel_logouts_total',
  help: 'Back-channel logout tokens Roster sent to applications, by result (sent, failed, refused: a private address without ALLOW_PRIVATE_TARGETS).',
  labelNames: ['result'] as const,
});

/** How long a logout waits for the transaction that ended the rows to commit, and how often it looks. */
const COMMIT_WAIT_MS = 5_000;
const LOOK_EVERY_MS = 50;

/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when Roster ends a person's grants (a
 * new password, a deactivation, a deletion, leaving an organization) or the provider sessions born from
 * a Roster session (a sign-out, a revoked session), each application they signed in to there through
 * Roster and which registered a `backchannelLogoutUri` receives a logout token (`sub`, and `sid` of the
 * provider session). Sent by the instance that ended them, once the transaction that ended them has
 * committed (a rolled-back change logs no one out), never while a database connection is held;
 * one attempt each, within the provider's 2.5 s timeout. `oidc-provider` signs the token and posts it,
 * refusing special-use addresses (private, loopback, link-local…) on the connected socket unless
 * ALLOW_PRIVATE_TARGETS=true.
 */
@Injectable()
export class OidcBackchannel {
  private readonly logger = new Logger('OidcBackchannel');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly host: OidcProviderHost,
  ) {}

  /**
   * The `fetch` the provider posts logout tokens with: its own (special-use addresses refused) unless
   * ALLOW_PRIVATE_TARGETS, which drops its guarding dispatcher.
   */
  fetchSetting(): ((url: string, options: Record<string, unknown>) => Promise<Response>) | undefined {
    if (!this.config.allowPrivateTargets) return undefined;
    return (url, options) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit);
  }

  /**
   * The sign-ins of `sessions` (provider sessions about to end, read in the ending transaction):
   * `onlyGrants`, when given, keeps those of these grants alone (leaving one organization).
   */
  static authorizations(
    sessions: { payload: { authorizations?: Record<string, { sid?: string; grantId?: string }> } }[],
    onlyGrants?: Set<string>,
  ): Authorization[] {
    const found: Authorization[] = [];
    for (const { payload } of sessions) {
      for (const [clientId, a] of Object.entries(payload.authorizations ?? {})) {
        if (typeof a?.sid !== 'string' || typeof a.grantId !== 'string') continue;
        if (onlyGrants && !onlyGrants.has(a.grantId)) continue;
        found.push({ clientId, sid: a.sid, grantId: a.grantId });
      }
    }
    return found;
  }

  /**
   * Sends the logout tokens of `authorizations` for `userId` once the rows `ended` names are gone (the
   * ending transaction committed); nothing if they are still there after COMMIT_WAIT_MS (it rolled back).
   */
  after(userId: string, ended: Ended, authorizations: Authorization[]): void {
    if (!authorizations.length) return;
    void this.whenCommitted(ended).then(
      async (committed) => {
        if (!committed) return;
        await Promise.all(authorizations.map((a) => this.send(userId, a)));
      },
      (e: Error) => this.logger.warn(`back-channel logout of ${userId} abandoned: ${e.message}`),
    );
  }

  private async whenCommitted({ model, ids }: Ended): Promise<boolean> {
    const until = Date.now() + COMMIT_WAIT_MS;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, LOOK_EVERY_MS));
      const rows: { n: number }[] = await this.db.query(
        `SELECT count(*)::int AS n FROM oidc_payloads WHERE model = $1 AND id = ANY($2::text[])`,
        [model, ids],
      );
      if (rows[0].n === 0) return true;
    }
    return false;
  }

  private async send(userId: string, { clientId, sid }: Authorization): Promise<void> {
    try {
      const provider = await this.host.current();
      const client = (await provider.Client.find(clientId)) as
        { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> } | undefined;
      if (!client?.backchannelLogoutUri) return;
      await client.backchannelLogout(userId, sid);
      logouts.inc({ result: 'sent' });
    } catch (e) {
      const refused = /special-use IP address/.test(String((e as { cause?: Error }).cause?.message ?? (e as Error).message));
      logouts.inc({ result: refused ? 'refused' : 'failed' });
      this.logger.warn(
        `back-channel logout to client ${clientId} ${refused ? 'refused (a private address)' : 'failed'}: ${(e as Error).message}`,
      );
    }
  }
}
