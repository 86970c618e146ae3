import { Controller, Get, HttpException } from '@nestjs/common';
import { Public } from '../core/access/access.decorators';
import { lifecycle } from '../core/http/lifecycle';
import { DatabaseProbe } from './database-probe';

/** For load balancers: /healthz (the process answers), /readyz (and its database does, within half a second). */
@Controller()
export class HealthController {
  constructor(private readonly probe: DatabaseProbe) {}

  @Get('healthz')
  @Public()
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Public()
  async ready(): Promise<{ status: string }> {
    // Shutting down: no new requests, please (those in flight still finish).
    if (lifecycle.draining) throw new HttpException({ status: 'draining' }, 503);
    // On the probe's own connection: a pool busy with requests does not make the instance look dead.
    if (!(await this.probe.ready())) throw new HttpException({ status: 'database unavailable' }, 503);
    return { status: 'ok' };
  }
}
