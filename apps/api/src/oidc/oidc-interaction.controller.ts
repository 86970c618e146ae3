import { Controller, Get, Inject, Logger, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OidcAccounts } from './oidc-accounts';
import { OidcPayloads, ROSTER_SESSION } from './oidc-payloads';
import { OIDC_PREFIX, OidcProviderHost } from './oidc-provider.host';
import { CLIENT_FIRST_PARTY, CLIENT_ORGANIZATION } from './oidc-provider.settings';

const UID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * Roster's side of an authorization: the interaction the provider sends people to.
 *
 * `GET /oidc/interaction/:uid`: without a Roster session (the cookie; a person who must still set up
 * two-factor counts as none), 303 to the console's sign-in, which brings them back; with one, the
 * organization is chosen (`organization=<slug>`, else the client's own, else their only one, else the
 * one they used last) and must be theirs, the grant is made for it (first-party clients: no consent;
 * others get `consent_required` until the consent page exists), and the provider carries on to the
 * redirect URI. Refusals go to the redirect URI as `access_denied`.
 */
@Controller('oidc')
@Public()
export class OidcInteractionController {
  private readonly logger = new Logger('OidcInteraction');

  constructor(
    private readonly host: OidcProviderHost,
    private readonly principals: PrincipalLookup,
    private readonly accounts: OidcAccounts,
    private readonly payloads: OidcPayloads,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('interaction/:uid')
  async interaction(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const provider = await this.host.current();
    let details: { uid: string; params: Record<string, unknown>; grantId?: string };
    try {
      if (!UID.test(uid)) throw new Error('malformed interaction');
      details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error('another interaction');
    } catch {
      return void res
        .status(400)
        .type('text/plain')
        .send('This sign-in request has expired or is not valid: start again from the application.');
    }
    const principal = await this.session(req);
    if (!principal) {
      return void res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(`${OIDC_PREFIX}/interaction/${uid}`)}`);
    }
    const clientId = String(details.params['client_id']);
    const client = await provider.Client.find(clientId);
    if (!client) return this.refuse(req, res, 'access_denied', 'This application is not registered.');
    const metadata = client.metadata() as Record<string, unknown>;
    const slug = typeof details.params['organization'] === 'string' ? (details.params['organization'] as string) : undefined;
    const organization = await this.accounts.pick(principal, slug, (metadata[CLIENT_ORGANIZATION] as string | null) ?? null);
    if (!organization) return this.refuse(req, res, 'access_denied', 'You may not use this application in that organization.');
    if (metadata[CLIENT_FIRST_PARTY] !== true) {
      return this.refuse(req, res, 'consent_required', 'This application needs your consent, which Roster cannot ask for yet.');
    }
    const scope = String(details.params['scope'] ?? 'openid');
    const grant = new provider.Grant({ accountId: principal.userId, clientId });
    grant.addOIDCScope(scope);
    grant.addResourceScope(
      this.config.publicUrl,
      scope
        .split(' ')
        .filter((s) => s !== 'offline_access')
        .join(' '),
    );
    const grantId: string = await grant.save();
    await this.payloads.setGrantOrganization(grantId, organization.id);
    await provider.interactionFinished(
      req,
      res,
      // The Roster session it was born from: a sign-out, or that session revoked, ends the provider's too.
      { login: { accountId: principal.userId, amr: ['pwd'], [ROSTER_SESSION]: principal.sessionId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /** The Roster session of the request: a browser session, set up (two-factor included); null otherwise. */
  private async session(req: Request): Promise<Principal | null> {
    try {
      const principal = await this.principals.principalFor(req);
      return principal && principal.via === 'cookie' && !principal.twoFactorSetupRequired ? principal : null;
    } catch {
      return null;
    }
  }

  /** Ends the interaction with an error the provider sends to the client's redirect URI. */
  private async refuse(req: Request, res: Response, error: string, description: string): Promise<void> {
    const provider = await this.host.current();
    this.logger.log(`Authorization refused: ${error}`);
    await provider.interactionFinished(req, res, { error, error_description: description }, { mergeWithLastSubmission: false });
  }
}
