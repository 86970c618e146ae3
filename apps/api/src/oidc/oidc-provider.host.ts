import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ProviderInstance } from 'oidc-provider';
import type { JsonWebKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { JanitorService } from '../core/database/janitor.service';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { PgAdapter } from './oidc-adapter';
import { KEY_REREAD_MS, KeySet, OidcKeys } from './oidc-keys';

/** Where the provider's endpoints live (under PUBLIC_URL); discovery stays at /.well-known/openid-configuration. */
export const OIDC_PREFIX = '/oidc';

/** The provider's routes, all under OIDC_PREFIX. */
export const OIDC_ROUTES = {
  authorization: `${OIDC_PREFIX}/auth`,
  token: `${OIDC_PREFIX}/token`,
  userinfo: `${OIDC_PREFIX}/me`,
  jwks: `${OIDC_PREFIX}/jwks`,
  introspection: `${OIDC_PREFIX}/token/introspection`,
  revocation: `${OIDC_PREFIX}/token/revocation`,
  end_session: `${OIDC_PREFIX}/session/end`,
};

/** Introspection and revocation answer a client about its own tokens only. */
function ownTokenOnly(ctx: { oidc: { client: { clientId: string } } }, _client: unknown, token: { clientId?: string }): boolean {
  return token.clientId === ctx.oidc.client.clientId;
}

/** Extra pieces of configuration other parts of the feature give the provider (claims, interactions). */
export type ProviderSettings = (base: Record<string, unknown>) => Record<string, unknown>;

/**
 * Holds this process's `oidc-provider` (a Koa application, issuer PUBLIC_URL): made at start once the
 * signing keys are read (the first made if there is none), made again when the published keys change
 * (read every five minutes; the janitor rotates them when due). Requests in flight finish on the one
 * they began on; all state lives in PostgreSQL, so the new one carries on.
 */
@Injectable()
export class OidcProviderHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OidcProvider');
  private provider: ProviderInstance | null = null;
  private fingerprint = '';
  private timer: NodeJS.Timeout | null = null;
  private settings: ProviderSettings = (c) => c;
  private readonly afterMake: ((provider: ProviderInstance) => void)[] = [];
  private published: JsonWebKey[] = [];
  private ready: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly keys: OidcKeys,
    janitor: JanitorService,
  ) {
    janitor.every('oidcKeys', async () => {
      const made = await this.keys.rotateIfDue();
      await this.refresh();
      return made;
    });
  }

  /** Adds to the provider's configuration (called once, by the feature's own services, before start). */
  configure(settings: ProviderSettings): void {
    const before = this.settings;
    this.settings = (c) => settings(before(c));
  }

  /** Adjusts each provider once made (the feature's own overrides of its models). */
  adjust(fn: (provider: ProviderInstance) => void): void {
    this.afterMake.push(fn);
  }

  /** The public halves of the keys the provider publishes (verifying its own access tokens). */
  async publicKeys(): Promise<JsonWebKey[]> {
    await this.current();
    return this.published;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.ready = this.keys.rotateIfDue().then(() => this.refresh());
    await this.ready;
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) =>
        this.logger.warn(`Re-reading the signing keys failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    }, KEY_REREAD_MS).unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The provider of this moment. */
  async current(): Promise<ProviderInstance> {
    await this.ready;
    if (!this.provider) await this.refresh();
    if (!this.provider) throw new Error('The OpenID Provider has no signing key yet.');
    return this.provider;
  }

  /** Re-reads the keys; makes the provider again when they changed. */
  async refresh(): Promise<void> {
    const keys = await this.keys.read();
    if (!keys || (this.provider && keys.fingerprint === this.fingerprint)) return;
    this.provider = this.make(keys);
    this.fingerprint = keys.fingerprint;
    this.published = keys.keys.map((k) => ({ kty: k.kty, n: k.n, e: k.e, kid: k['kid'] as string, alg: k['alg'] as string, use: 'sig' }));
  }

  private make(keys: KeySet): ProviderInstance {
    // Loaded here, not at import: the schema printer and the migration check never need it.
    const { default: Provider } = require('oidc-provider') as typeof import('oidc-provider');
    const base: Record<string, unknown> = {
      adapter: PgAdapter.factory(this.db, this.box),
      jwks: { keys: keys.keys },
      routes: OIDC_ROUTES,
      // Signed with a key derived from ROSTER_SECRET_KEY: the same on every instance.
      cookies: { keys: [this.box.mac('oidc-provider cookies')] },
      features: {
        devInteractions: { enabled: false },
        // A client learns about, and revokes, its own tokens only: another client's is `active: false`.
        introspection: { enabled: true, allowedPolicy: ownTokenOnly },
        revocation: { enabled: true, allowedPolicy: ownTokenOnly },
        // Its pages and Roster's sign-out: OidcLogout.
        rpInitiatedLogout: { enabled: true },
      },
      enabledJWA: { idTokenSigningAlgValues: ['RS256'], userinfoSigningAlgValues: ['RS256'] },
    };
    const provider = new Provider(this.config.publicUrl, this.settings(base));
    // The controller pins Host and X-Forwarded-* to PUBLIC_URL on every request it hands over.
    provider.proxy = true;
    for (const fn of this.afterMake) fn(provider);
    provider.on('server_error', (_ctx: unknown, error: Error) => this.logger.error(`OpenID Provider error: ${error.message}`, error.stack));
    return provider;
  }
}
