import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { confirmsDeletion } from './delete-organization-dialog';
import { organizationErrorKey } from './organization-errors';

const failure = (extensions: Record<string, unknown>) => new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions }] } as never);

describe('organization errors', () => {
  it('translates a taken slug and the field BAD_USER_INPUT names', () => {
    expect(organizationErrorKey(failure({ code: 'SLUG_TAKEN' }))).toBe('errors.SLUG_TAKEN');
    expect(organizationErrorKey(failure({ code: 'BAD_USER_INPUT', fields: { 'input.slug': ['matches'] } }))).toBe(
      'organizations.invalid.slug',
    );
    expect(organizationErrorKey(failure({ code: 'BAD_USER_INPUT', fields: { firstAdminEmail: ['isEmail'] } }))).toBe(
      'organizations.invalid.firstAdminEmail',
    );
    expect(organizationErrorKey(failure({ code: 'BAD_USER_INPUT' }))).toBe('errors.BAD_USER_INPUT');
    expect(organizationErrorKey(failure({ code: 'CONFIRMATION_MISMATCH' }))).toBe('errors.CONFIRMATION_MISMATCH');
    expect(organizationErrorKey(new Error('network'))).toBe('errors.INTERNAL_SERVER_ERROR');
  });

  it('confirms a deletion by the slug typed in any case', () => {
    expect(confirmsDeletion(' ACME ', 'acme')).toBe(true);
    expect(confirmsDeletion('acm', 'acme')).toBe(false);
    expect(confirmsDeletion('', 'acme')).toBe(false);
  });
});
