import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from './app-error';

/** Seconds a client is told to wait when the service is busy or its database is away. */
export const RETRY_AFTER_SECONDS = 2;

const BUSY_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const DOWN_SQLSTATES = new Set(['57P01', '57P02', '57P03', '3D000']);
const DOWN_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const DOWN_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|Connection ended|not queryable|terminating connection|query runner (was )?already released/i;
// TypeORM, when the connection died under a transaction (e.g. while committing): the outcome is unknown,
// and the transaction was atomic either way.
const DOWN_ERROR_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError', 'ConnectionIsNotSetError']);

function codeOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a failure of the infrastructure (pool wait, statement timeout, database stopped or
 * restarting) into a typed error a client can act on: SERVICE_BUSY or DATABASE_UNAVAILABLE,
 * both meaning "retry shortly". Anything else stays unknown (null).
 */
export function infraError(e: unknown): AppError | null {
  if (e instanceof AppError) return null;
  const message = e instanceof Error ? e.message : String(e);
  const code = codeOf(e);
  const extra = { retryAfterSeconds: RETRY_AFTER_SECONDS };
  if (/timeout exceeded when trying to connect/i.test(message) || (code && BUSY_SQLSTATES.has(code))) {
    return new AppError(ErrorCode.ServiceBusy, 'The server is busy. Try again in a moment.', extra);
  }
  const name = e instanceof Error ? e.name || e.constructor.name : '';
  if (
    DOWN_ERROR_NAMES.has(name) ||
    (code && (DOWN_SQLSTATES.has(code) || DOWN_NODE_CODES.has(code) || code.startsWith('08'))) ||
    DOWN_MESSAGES.test(message)
  ) {
    return new AppError(ErrorCode.DatabaseUnavailable, 'The service is temporarily unavailable. Try again in a moment.', extra);
  }
  return null;
}
