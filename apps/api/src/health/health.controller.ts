import { Controller, Get, HttpException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../core/access/access.decorators';
import { lifecycle } from '../core/lifecycle';

/** For load balancers: /healthz (the process answers), /readyz (and its database does). */
@Controller()
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
    try {
      await this.db.query('SELECT 1');
      return { status: 'ok' };
    } catch {
      throw new HttpException({ status: 'database unavailable' }, 503);
    }
  }
}
