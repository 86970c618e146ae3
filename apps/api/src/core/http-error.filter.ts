import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from './app-error';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfInvalid]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RateLimited]: 429,
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
    if (exception instanceof AppError) {
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
