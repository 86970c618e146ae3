import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorCode } from '@roster/contracts/errors';
import { errorKey } from '../core/api';

/** The fields of a client the API may name when it refuses one (`extensions.field`, or a key of `extensions.fields`). */
export const CLIENT_FIELDS = ['name', 'redirectUris', 'postLogoutRedirectUris', 'backchannelLogoutUri'] as const;
export type ClientField = (typeof CLIENT_FIELDS)[number];

/** What went wrong, to say beside `field` (or above the buttons when null): a translation key and its parameters. */
export interface ClientProblem {
  readonly field: ClientField | null;
  readonly key: string;
  readonly params?: Record<string, unknown>;
}

/** The client field a path names (`input.redirectUris` → redirectUris), or null. */
function fieldOf(path: unknown): ClientField | null {
  if (typeof path !== 'string') return null;
  const last = path.split('.').pop();
  return CLIENT_FIELDS.find((f) => f === last) ?? null;
}

/**
 * What a failed create or update of a client means for the form: a URI the API refused (its rules: https,
 * http only on loopback, no fragment nor credentials) beside the field it names; the limit of clients;
 * else the console's general message for the code.
 */
export function clientProblem(error: unknown): ClientProblem {
  if (CombinedGraphQLErrors.is(error)) {
    const extensions = error.errors[0]?.extensions ?? {};
    const code = extensions['code'];
    if (code === ErrorCode.LimitReached) {
      return { field: null, key: 'oidcClients.limitReached', params: { limit: extensions['limit'] ?? 50 } };
    }
    if (code === ErrorCode.BadUserInput) {
      const fields = extensions['fields'];
      const named = [extensions['field'], ...(fields && typeof fields === 'object' ? Object.keys(fields) : [])];
      const field = named.map(fieldOf).find((f) => f !== null);
      if (field) return { field, key: field === 'name' ? 'oidcClients.invalid.name' : 'oidcClients.invalid.uri' };
    }
  }
  return { field: null, key: errorKey(error) };
}

/** The URIs of a text box holding one per line (blank lines and surrounding spaces dropped). */
export function uriLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** How many URIs a list may hold, and how long each may be (as the API allows). */
export const URIS_MAX = 10;
export const URI_MAX = 2000;
/** The longest name of a client. */
export const NAME_MAX = 100;

/**
 * A text box of URIs, one per line: `{ required }` with fewer than `min`, `{ tooMany: { max } }` past
 * URIS_MAX, `{ tooLong: { max } }` for a line past URI_MAX characters. What a URI may be is the API's to say.
 */
export function uriListValidator(min: number): ValidatorFn {
  return (control: AbstractControl<string>): ValidationErrors | null => {
    const uris = uriLines(control.value ?? '');
    if (uris.length < min) return { required: true };
    if (uris.length > URIS_MAX) return { tooMany: { max: URIS_MAX } };
    if (uris.some((uri) => uri.length > URI_MAX)) return { tooLong: { max: URI_MAX } };
    return null;
  };
}
