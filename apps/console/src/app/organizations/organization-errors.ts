import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { SlugProblem } from '@roster/contracts/organizations';
import { errorKey } from '../core/api';

/** The slug is another organization's (the API's code). */
export const SLUG_TAKEN = 'SLUG_TAKEN';

/** The fields of the organizations' inputs that the API may name in BAD_USER_INPUT. */
const FIELDS = ['name', 'slug', 'firstAdminEmail', 'confirmation'] as const;

/**
 * The translation key of a failed organization operation: the codes of this page (SLUG_TAKEN…), and for
 * BAD_USER_INPUT the field the API refused (`input.slug` → "the address is not valid"), else the
 * console's general message for the code.
 */
export function organizationErrorKey(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const extensions = error.errors[0]?.extensions ?? {};
    const code = extensions['code'];
    if (code === SLUG_TAKEN) return `errors.${SLUG_TAKEN}`;
    if (code === 'BAD_USER_INPUT') {
      const fields = extensions['fields'];
      const named = fields && typeof fields === 'object' ? Object.keys(fields) : [];
      for (const path of named) {
        const field = path.split('.').pop();
        const known = FIELDS.find((f) => f === field);
        if (known) return `organizations.invalid.${known}`;
      }
    }
  }
  return errorKey(error);
}

/** The translation key of what is wrong with a slug as typed. */
export const slugProblemKey = (problem: SlugProblem): string => `organizations.slugProblem.${problem}`;
