import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { infraError, RETRY_AFTER_SECONDS } from '../core/errors/infra-error';
import { SCIM_ERROR_SCHEMA } from './schemas';
import { ScimError, type ScimErrorType, scimNotFound } from './scim-error';

export { invalidFilter, invalidSyntax, invalidValue, ScimError, scimNotFound, type ScimErrorType } from './scim-error';

/** The content type of every SCIM answer. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * What a Roster error means in SCIM (design §9): its status and `scimType`. Codes not listed are 400
 * `invalidValue` (a bad input the owners refused), and the infrastructure's 503s keep their status.
 */
const BY_CODE: Partial<Record<ErrorCode, [number, ScimErrorType | undefined]>> = {
  [ErrorCode.Unauthenticated]: [401, undefined],
  [ErrorCode.Forbidden]: [403, undefined],
  [ErrorCode.CsrfInvalid]: [401, undefined],
  [ErrorCode.TwoFactorSetupRequired]: [403, undefined],
  [ErrorCode.RoleNotGrantable]: [403, undefined],
  [ErrorCode.SelfRoleChange]: [403, undefined],
  [ErrorCode.SelfDelete]: [403, undefined],
  [ErrorCode.SelfDeactivate]: [403, undefined],
  [ErrorCode.NotFound]: [404, undefined],
  [ErrorCode.EmailTaken]: [409, 'uniqueness'],
  [ErrorCode.TeamNameTaken]: [409, 'uniqueness'],
  [ErrorCode.LastManager]: [400, 'mutability'],
  [ErrorCode.UserStatusConflict]: [400, 'mutability'],
  [ErrorCode.RateLimited]: [429, undefined],
  [ErrorCode.LimitReached]: [403, undefined],
  [ErrorCode.ServiceBusy]: [503, undefined],
  [ErrorCode.DatabaseUnavailable]: [503, undefined],
  [ErrorCode.InternalError]: [500, undefined],
};

const SCIM_TYPES = new Set<string>([
  'invalidFilter',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
]);

const logger = new Logger('SCIM');

/** The SCIM error an exception stands for (an unexpected one: 500, logged, no detail of it sent). */
export function toScimError(exception: unknown): { error: ScimError; retryAfter?: number } {
  if (exception instanceof ScimError) return { error: exception };
  const infra = infraError(exception);
  if (infra) {
    logger.warn(`${infra.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
    exception = infra;
  }
  if (exception instanceof AppError) {
    // An owner's refusal that has no code of its own may say its SCIM type (`extensions.scimType`, or `refusal`).
    const declared = exception.extensions['scimType'] ?? (exception as { refusal?: unknown }).refusal;
    const [status, scimType] =
      typeof declared === 'string' && SCIM_TYPES.has(declared)
        ? [declared === 'uniqueness' ? 409 : 400, declared as ScimErrorType]
        : (BY_CODE[exception.code] ?? [400, 'invalidValue']);
    const retry = exception.extensions['retryAfterSeconds'];
    const retryAfter = typeof retry === 'number' ? retry : status === 503 ? RETRY_AFTER_SECONDS : undefined;
    return { error: new ScimError(status, scimType, exception.message), retryAfter };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404) return { error: scimNotFound('No such SCIM endpoint.') };
    if (status === 413) return { error: new ScimError(413, undefined, 'The request body is too large.') };
    if (status < 500) return { error: new ScimError(status, status === 400 ? 'invalidSyntax' : undefined, exception.message) };
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  return { error: new ScimError(500, undefined, 'Something went wrong. The error was logged.') };
}

/** The SCIM error body (RFC 7644 §3.12): `status` as a string. */
export function scimErrorBody(error: ScimError): Record<string, unknown> {
  return {
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

/** Answers `exception` as a SCIM error (nothing when the answer has begun). */
export function answerScimError(res: ServerResponse, exception: unknown): void {
  if (res.headersSent) return;
  const { error, retryAfter } = toScimError(exception);
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="roster-scim"');
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  sendScim(res, error.status, scimErrorBody(error));
}

/** Sends a SCIM answer (`application/scim+json`). */
export function sendScim(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (text) {
    res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(text));
  }
  res.end(text);
}

/**
 * Every answer of a SCIM controller that is not a success is a SCIM error (`@UseFilters` on each SCIM
 * controller): the guard's refusals too, which run inside the route and reach this filter.
 */
@Catch()
export class ScimErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    answerScimError(host.switchToHttp().getResponse<ServerResponse>(), exception);
  }
}
