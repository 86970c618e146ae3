import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorCode } from '@roster/contracts/errors';
import { Permission } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { hasUnsafeText } from '../core/graphql/safe-text';
import { TwoFactorState, UserStatus } from '../users/users.enums';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import type { Principal } from '../core/access/principal';
import { hasValidCsrf } from '../core/access/csrf';
import { auditFilter, auditOwner, AuditScope } from '../audit/audit-query';
import { ExportService } from './export.service';

/** A query parameter given at most once, as text: `?format=csv&format=xlsx` is refused, not guessed. */
function single(name: string, value: unknown, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new AppError(ErrorCode.BadUserInput, `${name} must be given once, as text.`, { fields: { [name]: ['single'] } });
  if (value.length > maxLength || hasUnsafeText(value)) {
    throw new AppError(ErrorCode.BadUserInput, `${name} must be at most ${maxLength} characters of text.`, {
      fields: { [name]: ['text'] },
    });
  }
  return value;
}

/**
 * A browser's own download (the console's) says it comes from this site (Sec-Fetch-Site, which no
 * page can forge); scripts send the CSRF header; another site cannot make a signed-in browser export.
 */
function fromConsole(actor: Principal, req: Request): void {
  if (actor.via === 'cookie' && req.headers['sec-fetch-site'] !== 'same-origin' && !hasValidCsrf(req)) {
    throw new AppError(ErrorCode.CsrfInvalid, 'Start the export from the console.');
  }
}

/**
 * GET /api/export/users?format=csv|xlsx[&search=...][&status=...][&twoFactor=...] and
 * GET /api/export/audit[?actor=&target=&action=&from=&to=][&scope=organization|platform] — authenticated, streamed downloads.
 */
@Controller('api/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('users')
  @RequirePermission(Permission.UsersExport)
  async users(
    @CurrentPrincipal() actor: Principal,
    @Query('format') format: unknown,
    @Query('search') search: unknown,
    @Query('status') status: unknown,
    @Query('twoFactor') twoFactor: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    fromConsole(actor, req);
    const f = (single('format', format, 10) ?? 'csv').toLowerCase();
    if (f !== 'csv' && f !== 'xlsx')
      throw new AppError(ErrorCode.BadUserInput, 'format must be csv or xlsx.', { fields: { format: ['isIn'] } });
    const s = single('status', status, 20)?.toUpperCase() ?? null;
    if (s !== null && !(Object.values(UserStatus) as string[]).includes(s)) {
      throw new AppError(ErrorCode.BadUserInput, 'status must be ACTIVE, INVITED or DEACTIVATED.', { fields: { status: ['isIn'] } });
    }
    const t = single('twoFactor', twoFactor, 20)?.toUpperCase() ?? null;
    if (t !== null && !(Object.values(TwoFactorState) as string[]).includes(t)) {
      throw new AppError(ErrorCode.BadUserInput, 'twoFactor must be ENABLED or MISSING.', { fields: { twoFactor: ['isIn'] } });
    }
    await this.exports.stream(actor, f, single('search', search, 254) ?? null, res, s as UserStatus | null, t as TwoFactorState | null);
  }

  /**
   * The current organization's audit events matching the screen's filters (or, with scope=platform,
   * the platform's, for operators), newest first, as CSV.
   */
  @Get('audit')
  @RequirePermission(Permission.AuditRead)
  async audit(
    @CurrentPrincipal() actor: Principal,
    @Query('actor') actorFilter: unknown,
    @Query('target') target: unknown,
    @Query('action') action: unknown,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('scope') scope: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    fromConsole(actor, req);
    const s = single('scope', scope, 20)?.toUpperCase() ?? AuditScope.ORGANIZATION;
    if (!(Object.values(AuditScope) as string[]).includes(s)) {
      throw new AppError(ErrorCode.BadUserInput, 'scope must be organization or platform.', { fields: { scope: ['isIn'] } });
    }
    const owner = auditOwner(actor, s as AuditScope);
    const filter = auditFilter({
      actor: single('actor', actorFilter, 254),
      target: single('target', target, 254),
      action: single('action', action, 64),
      from: single('from', from, 40),
      to: single('to', to, 40),
    });
    await this.exports.streamAudit(actor, owner, filter, res);
  }
}
