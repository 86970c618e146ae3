import { Body, Controller, Get, Logger, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ProviderInstance } from 'oidc-provider';
import { Public } from '../core/access/access.decorators';
import { hasValidCsrf } from '../core/access/csrf';
import type { Principal } from '../core/access/principal';
import { PrincipalLookup } from '../core/access/principal-lookup';
import { AuthorizationRequest, InteractionClient, OidcAuthorizations } from './oidc-authorizations';
import { ROSTER_SESSION } from './oidc-payloads';
import { OIDC_PREFIX, OidcProviderHost } from './oidc-provider.host';

const UID = /^[A-Za-z0-9_-]{10,64}$/;

/** Where the console asks a person which organization, and whether they allow the application. */
export const AUTHORIZE_PAGE = '/authorize';

type Details = { uid: string; params: Record<string, unknown> };

/** An interaction as this request may see it: its own (the provider's interaction cookie), with its client. */
interface Interaction {
  provider: ProviderInstance;
  details: Details;
}

/**
 * Roster's side of an authorization: the interaction the provider sends people to.
 *
 * `GET /oidc/interaction/:uid`: without a Roster session (the cookie; a person who must still set up
 * two-factor counts as none), 303 to the console's sign-in, which brings them back. With one, the
 * organization is chosen (`organization=<slug>`, else the client's own, else their only one) and the
 * grant is made when nothing is left to ask (a first-party application, or a third-party one already
 * allowed these scopes there); otherwise 303 to the console's page `/authorize/<uid>`, which reads
 * `GET …/details` and answers with `POST …/confirm` (CSRF-checked). Refusals go to the redirect URI
 * as `access_denied`. Both JSON routes are bound to the browser that began the authorization by the
 * provider's interaction cookie (its path is the interaction's), so no one else can answer for it.
 */
@Controller('oidc')
@Public()
export class OidcInteractionController {
  private readonly logger = new Logger('OidcInteraction');

  constructor(
    private readonly host: OidcProviderHost,
    private readonly principals: PrincipalLookup,
    private readonly authorizations: OidcAuthorizations,
  ) {}

  @Get('interaction/:uid')
  async interaction(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const interaction = await this.find(uid, req, res);
    if (!interaction) {
      return void res
        .status(400)
        .type('text/plain')
        .send('This sign-in request has expired or is not valid: start again from the application.');
    }
    const principal = await this.session(req);
    if (!principal) {
      return void res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(`${OIDC_PREFIX}/interaction/${uid}`)}`);
    }
    const { provider, details } = interaction;
    const client = await this.authorizations.client(provider, String(details.params['client_id']));
    if (!client) return this.refuse(req, res, 'access_denied', 'This application is not registered.');
    const asked = await this.request(principal, details, client);
    if (asked.organizations.length === 0) {
      return this.refuse(req, res, 'access_denied', 'You may not use this application in that organization.');
    }
    if (asked.pick || asked.consent) return void res.redirect(303, `${AUTHORIZE_PAGE}/${uid}`);
    const result = await this.allow(provider, principal, client, asked.organizations[0].id, asked.scopes);
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  /** What the authorization asks, for the console's page (JSON). */
  @Get('interaction/:uid/details')
  async details(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const interaction = await this.find(uid, req, res);
    if (!interaction) return void res.status(404).json({ error: 'expired' });
    const principal = await this.session(req);
    if (!principal) return void res.status(401).json({ error: 'signed_out' });
    const client = await this.authorizations.client(interaction.provider, String(interaction.details.params['client_id']));
    if (!client) return void res.status(404).json({ error: 'expired' });
    res.json(await this.request(principal, interaction.details, client));
  }

  /**
   * The person's answer: `{ allow: true, organization: <slug> }` or `{ allow: false }`. Answers
   * `{ location }`, where the browser goes on (the provider, then the application's redirect URI).
   */
  @Post('interaction/:uid/confirm')
  async confirm(@Param('uid') uid: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const answer = readAnswer(body);
    if (!answer) return void res.status(400).json({ error: 'invalid_request' });
    const interaction = await this.find(uid, req, res);
    if (!interaction) return void res.status(404).json({ error: 'expired' });
    const principal = await this.session(req);
    if (!principal) return void res.status(401).json({ error: 'signed_out' });
    if (!hasValidCsrf(req)) return void res.status(403).json({ error: 'csrf' });
    const { provider, details } = interaction;
    const client = await this.authorizations.client(provider, String(details.params['client_id']));
    if (!client) return void res.status(404).json({ error: 'expired' });
    let result: Record<string, unknown>;
    if (!answer.allow) {
      this.logger.log('Authorization refused by the person');
      result = { error: 'access_denied', error_description: 'The person did not allow this application.' };
    } else {
      const asked = await this.request(principal, details, client);
      const chosen = asked.organizations.find((o) => o.slug === answer.organization);
      if (!chosen) return void res.status(400).json({ error: 'organization' });
      result = await this.allow(provider, principal, client, chosen.id, asked.scopes);
    }
    const location = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
    res.status(200).json({ location });
  }

  /** The interaction of this browser with this uid, or null (expired, another browser's, malformed). */
  private async find(uid: string, req: Request, res: Response): Promise<Interaction | null> {
    if (!UID.test(uid)) return null;
    const provider = await this.host.current();
    try {
      const details = (await provider.interactionDetails(req, res)) as Details;
      return details.uid === uid ? { provider, details } : null;
    } catch {
      return null;
    }
  }

  /** What is left to ask the person (the organization, their consent), with where it may act. */
  private async request(principal: Principal, details: Details, client: InteractionClient): Promise<AuthorizationRequest> {
    const slug = typeof details.params['organization'] === 'string' ? (details.params['organization'] as string) : undefined;
    const { organizations, pick } = await this.authorizations.candidates(principal, slug, client);
    const scopes = this.authorizations.scopes(details.params);
    // A third-party application is asked about in the organization shown first (the one picked when fixed).
    const consent =
      organizations.length > 0 &&
      (pick
        ? !client.firstParty
        : await this.authorizations.needsConsent(principal, client, organizations[0].id, scopes, details.params['prompt']));
    return {
      client: { name: client.name, firstParty: client.firstParty },
      scopes,
      organizations: organizations.map((o) => ({ id: o.id, slug: o.slug, name: o.name })),
      pick,
      consent,
    };
  }

  /** The interaction's result when the person is let in: their login (with the Roster session it came from) and a new grant. */
  private async allow(
    provider: ProviderInstance,
    principal: Principal,
    client: InteractionClient,
    organizationId: string,
    scopes: string[],
  ): Promise<Record<string, unknown>> {
    const grantId = await this.authorizations.grant(provider, principal, client, organizationId, scopes);
    // The Roster session it was born from: a sign-out, or that session revoked, ends the provider's too.
    return { login: { accountId: principal.userId, amr: ['pwd'], [ROSTER_SESSION]: principal.sessionId }, consent: { grantId } };
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

/** The person's answer from the console, or null when it is not one. */
function readAnswer(body: unknown): { allow: false } | { allow: true; organization: string } | null {
  if (!body || typeof body !== 'object') return null;
  const { allow, organization } = body as Record<string, unknown>;
  if (allow === false) return { allow: false };
  if (allow === true && typeof organization === 'string' && /^[a-z0-9-]{1,63}$/.test(organization)) return { allow, organization };
  return null;
}
