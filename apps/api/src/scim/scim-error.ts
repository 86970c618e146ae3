/**
 * The SCIM error (RFC 7644 §3.12) as Roster throws it, free of the framework so that pure code (the filter
 * parser, the body validation) and its unit specs use it; errors.ts answers it.
 */

/** RFC 7644 §3.12's `scimType` values Roster answers with. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A SCIM error: its HTTP status, its `scimType` (for 400 and 409) and a detail for people. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimErrorType | undefined,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const scimNotFound = (detail = 'Resource not found.') => new ScimError(404, undefined, detail);
