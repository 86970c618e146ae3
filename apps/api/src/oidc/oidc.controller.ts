import { All, Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../core/access/access.decorators';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OidcProviderHost } from './oidc-provider.host';

/**
 * Hands every request under /oidc/ and the discovery document to the provider, with `Host` and
 * `X-Forwarded-Host`/`-Proto` set to PUBLIC_URL's whatever the caller sent (and `X-Forwarded-For` to the
 * address Express found under TRUST_PROXY): discovery, `iss`, endpoints and redirects always name
 * PUBLIC_URL. Public: the provider authenticates its own callers (clients by secret, people through the
 * interaction).
 */
@Controller()
@Public()
export class OidcController {
  private readonly host: string;
  private readonly proto: string;

  constructor(
    private readonly provider: OidcProviderHost,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const url = new URL(config.publicUrl);
    this.host = url.host;
    this.proto = url.protocol.slice(0, -1);
  }

  @Get('.well-known/openid-configuration')
  discovery(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handOver(req, res);
  }

  @All('oidc/*path')
  endpoints(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handOver(req, res);
  }

  /** Passes the request to the provider, pinned to PUBLIC_URL. */
  async handOver(req: Request, res: Response): Promise<void> {
    const provider = await this.provider.current();
    req.headers['host'] = this.host;
    req.headers['x-forwarded-host'] = this.host;
    req.headers['x-forwarded-proto'] = this.proto;
    req.headers['x-forwarded-for'] = req.ip ?? req.socket.remoteAddress ?? '';
    delete req.headers['forwarded'];
    await provider.callback()(req, res);
  }
}
