import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode } from '@roster/contracts/errors';
import { Permission } from '@roster/contracts/permissions';
import { AppError } from '../core/app-error';
import { CurrentPrincipal, RequirePermission } from '../auth/access.decorators';
import type { Principal } from '../auth/principal';
import { ExportService } from './export.service';

/** GET /api/export/users?format=csv|xlsx[&search=...] — an authenticated, streamed download. */
@Controller('api/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('users')
  @RequirePermission(Permission.UsersExport)
  async users(
    @CurrentPrincipal() actor: Principal,
    @Query('format') format: string | undefined,
    @Query('search') search: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const f = (format ?? 'csv').toLowerCase();
    if (f !== 'csv' && f !== 'xlsx') throw new AppError(ErrorCode.BadUserInput, 'format must be csv or xlsx.');
    if (search !== undefined && (typeof search !== 'string' || search.length > 254)) {
      throw new AppError(ErrorCode.BadUserInput, 'search must be at most 254 characters.');
    }
    await this.exports.stream(actor, f, search ?? null, res);
  }
}
