import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '@roster/contracts/errors';
import { getMetadataStorage } from 'class-validator';
import { rememberRules } from './validation-rules';
import { AppError } from './app-error';

rememberRules(getMetadataStorage());

function flatten(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.keys(e.constraints);
    Object.assign(out, flatten(e.children ?? [], path));
  }
  return out;
}

/** Inputs are validated at the edge (class-validator); failures are BAD_USER_INPUT with per-field rules. */
export const validationPipe = new ValidationPipe({
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
});
