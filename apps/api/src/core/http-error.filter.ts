import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from './app-error';
import { infraError, RETRY_AFTER_SECONDS } from './infra-error';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfInvalid]: 403,
  [ErrorCode.TwoFactorSetupRequired]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ServiceBusy]: 503,
  [ErrorCode.DatabaseUnavailable]: 503,
  [ErrorCode.InternalError]: 500,
};

/**
 * Plain HTTP routes (export, health) answer errors as JSON `{ code, message }`.
 * In GraphQL the error is handed back untouched for formatError.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return undefined;
    const infra = infraError(exception);
    if (infra) {
      this.logger.warn(`${infra.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
      exception = infra;
    }
    if (exception instanceof AppError) {
      const retry = exception.extensions['retryAfterSeconds'];
      if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
      else if (STATUS[exception.code] === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      return res.status(STATUS[exception.code] ?? 400).json({ code: exception.code, message: exception.message });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const code = status === 404 ? ErrorCode.NotFound : status < 500 ? ErrorCode.BadUserInput : ErrorCode.InternalError;
      return res.status(status).json(typeof body === 'object' && body && 'status' in body ? body : { code, message: exception.message });
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return res.status(500).json({ code: ErrorCode.InternalError, message: 'Something went wrong. The error was logged.' });
  }
}
