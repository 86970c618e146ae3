/**
 * Text PostgreSQL cannot store or that no person types: NUL, and UTF-16 surrogates without their
 * pair (which have no UTF-8 form). Refused at the edge wherever text comes in.
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasUnsafeText(value: string): boolean {
  return UNSAFE.test(value);
}
