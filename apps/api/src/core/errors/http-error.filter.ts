import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
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
  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return exception;
    answerHttpError(host.switchToHttp().getResponse<ServerResponse>(), exception);
    return undefined;
  }
}

const logger = new Logger('HTTP');

/** Answers an error as `{ code, message }` JSON with its status (nothing when the answer has begun). */
export function answerHttpError(res: ServerResponse, exception: unknown): void {
  if (res.headersSent) return;
  const infra = infraError(exception);
  if (infra) {
    logger.warn(`${infra.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
    exception = infra;
  }
  if (exception instanceof AppError) {
    const retry = exception.extensions['retryAfterSeconds'];
    if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
    else if (STATUS[exception.code] === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return json(res, STATUS[exception.code] ?? 400, { code: exception.code, message: exception.message });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const code = status === 404 ? ErrorCode.NotFound : status < 500 ? ErrorCode.BadUserInput : ErrorCode.InternalError;
    return json(res, status, typeof body === 'object' && body && 'status' in body ? body : { code, message: exception.message });
  }
  logger.error(exception instanceof Error ? exception.stack : String(exception));
  json(res, 500, { code: ErrorCode.InternalError, message: 'Something went wrong. The error was logged.' });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
