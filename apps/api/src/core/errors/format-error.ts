import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException, Logger } from '@nestjs/common';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from './app-error';
import { infraError } from './infra-error';

const logger = new Logger('GraphQL');

const APOLLO_CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * Every error leaves with a code and a message meant for people; anything unexpected becomes
 * INTERNAL_SERVER_ERROR without a stack trace or internals (those go to the log).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const infra = infraError(original);
  if (infra) {
    logger.warn(`${infra.code}: ${original instanceof Error ? original.message : String(original)}`);
    return { message: infra.message, path: formatted.path, extensions: { ...infra.extensions } };
  }
  if (original instanceof AppError) {
    return { message: original.message, path: formatted.path, extensions: { ...original.extensions } };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    const code = status === 401 ? ErrorCode.Unauthenticated : status === 403 ? ErrorCode.Forbidden : ErrorCode.BadUserInput;
    if (status >= 500) logger.error(original);
    return { message: status >= 500 ? 'Something went wrong.' : original.message, path: formatted.path, extensions: { code } };
  }
  // graphql-js's own refusals while executing (e.g. null given for an argument that has a default but
  // may not be null): a GraphQLError with no code and no cause is the caller's input, not a fault here.
  if (original instanceof GraphQLError && !original.originalError && !original.extensions?.['code']) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BadUserInput },
    };
  }
  const code = String(formatted.extensions?.['code'] ?? '');
  if (APOLLO_CLIENT_CODES.has(code) || code.startsWith('GRAPHQL_') || code.startsWith('QUERY_') || code === ErrorCode.RateLimited) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  return { message: 'Something went wrong. The error was logged.', path: formatted.path, extensions: { code: ErrorCode.InternalError } };
}
