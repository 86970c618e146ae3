import { registerEnumType } from '@nestjs/graphql';
import { Language, SortDirection, Theme, TwoFactorState, UserSortField, UserStatus } from './users.enums';

/** The users feature's enums in the GraphQL schema, registered once by the files that use them in types. */
registerEnumType(UserStatus, {
  name: 'UserStatus',
  description:
    'ACTIVE people can sign in; INVITED people have a pending invitation; DEACTIVATED people keep their data but cannot sign in.',
});
registerEnumType(Language, { name: 'Language', description: 'Console language.' });
registerEnumType(Theme, { name: 'Theme', description: 'Console theme; SYSTEM follows the device.' });
registerEnumType(UserSortField, { name: 'UserSortField', description: 'A column of the users table to sort by.' });
registerEnumType(TwoFactorState, {
  name: 'TwoFactorState',
  description: 'Whether a person uses two-factor authentication: ENABLED, or MISSING (not set up).',
});
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Ascending (ASC) or descending (DESC).' });
