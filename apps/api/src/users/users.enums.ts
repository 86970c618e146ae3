import { registerEnumType } from '@nestjs/graphql';

/** The users feature's GraphQL enums: a person's status, console language and theme, the table's sort and 2FA filter. */
export enum UserStatus {
  ACTIVE = 'ACTIVE',
  INVITED = 'INVITED',
  DEACTIVATED = 'DEACTIVATED',
}
export enum Language {
  EN = 'en',
  FR = 'fr',
}
export enum Theme {
  LIGHT = 'LIGHT',
  DARK = 'DARK',
  SYSTEM = 'SYSTEM',
}
export enum UserSortField {
  FIRST_NAME = 'FIRST_NAME',
  LAST_NAME = 'LAST_NAME',
  EMAIL = 'EMAIL',
  ROLE = 'ROLE',
  PERMISSIONS = 'PERMISSIONS',
  TEAMS = 'TEAMS',
  LAST_CONNECTION = 'LAST_CONNECTION',
}
export enum TwoFactorState {
  ENABLED = 'ENABLED',
  MISSING = 'MISSING',
}
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
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
