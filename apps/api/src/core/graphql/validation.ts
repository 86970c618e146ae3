import { ArgumentMetadata, ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { ErrorCode } from '@roster/contracts/errors';
import { getMetadataStorage } from 'class-validator';
import { flatArgumentsCheck, rememberRules } from '../fast-path/validation-rules';
import { AppError } from '../errors/app-error';
import type { AppConfig } from '../config/config';
import { fastPathUses } from '../fast-path/uses';

function flatten(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.keys(e.constraints);
    Object.assign(out, flatten(e.children ?? [], path));
  }
  return out;
}

/**
 * Nest's ValidationPipe, with a shorter way for flat arguments (a query's page size, cursor, search...):
 * class-transformer's copy and class-validator's run cost more per request than the resolver's own work.
 * For a class whose rules flatArgumentsCheck (validation-rules.ts) can run as class-validator does, a
 * value of plain properties that passes all of them is copied into the class at once; anything else (a
 * rule it fails, a nested input, an unknown property) goes through the pipe as before, which then gives
 * the same errors and the same stripping it always did.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as (new () => object) | undefined;
    if (metatype && value !== null && typeof value === 'object' && this.toValidate(metadata)) {
      const accepted = flatArgumentsCheck(metatype)?.(value as Record<string, unknown>);
      if (accepted) {
        fastPathUses.validationShortcut++;
        return accepted;
      }
    }
    return super.transform(value, metadata);
  }
}

/** Inputs are validated at the edge (class-validator); failures are BAD_USER_INPUT with per-field rules. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  transform: true,
  whitelist: true,
  forbidUnknownValues: true,
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    const first = Object.entries(fields)[0];
    return new AppError(ErrorCode.BadUserInput, first ? `Invalid value for ${first[0]} (${first[1].join(', ')}).` : 'Invalid input.', {
      fields,
    });
  },
};

let remembering = false;

/**
 * The pipe every argument goes through: with the fast path (GRAPHQL_FAST_PATH, on by default) the
 * shorter way above and class-validator's rules remembered per class; with GRAPHQL_FAST_PATH=off
 * Nest's ValidationPipe as it comes, class-validator and class-transformer on every argument.
 */
export function validationPipe(config: Pick<AppConfig, 'graphqlFastPath'>): ValidationPipe {
  if (!config.graphqlFastPath) return new ValidationPipe(VALIDATION_OPTIONS);
  if (!remembering) {
    remembering = true;
    rememberRules(getMetadataStorage());
  }
  return new EdgeValidationPipe(VALIDATION_OPTIONS);
}
