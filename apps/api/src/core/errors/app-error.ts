import { GraphQLError } from 'graphql';
import { ErrorCode } from '@roster/contracts/errors';

/** A typed error: `code` reaches clients in `extensions.code`; the console translates it. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const notFound = (what: string) => new AppError(ErrorCode.NotFound, `${what} not found.`);
