import { registerEnumType } from '@nestjs/graphql';
import { PermissionLevel } from '@roster/contracts/permissions';

export enum UserStatus {
  ACTIVE = 'ACTIVE',
  INVITED = 'INVITED',
  DEACTIVATED = 'DEACTIVATED',
}
export enum EmailStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
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
registerEnumType(EmailStatus, {
  name: 'EmailStatus',
  description: 'Delivery of an email: PENDING (queued or being retried), SENT (accepted by the mail server), FAILED (given up).',
});
registerEnumType(TwoFactorState, {
  name: 'TwoFactorState',
  description: 'Whether a person uses two-factor authentication: ENABLED, or MISSING (not set up).',
});
registerEnumType(Language, { name: 'Language', description: 'Console language.' });
registerEnumType(Theme, { name: 'Theme', description: 'Console theme; SYSTEM follows the device.' });
registerEnumType(UserSortField, { name: 'UserSortField', description: 'A column of the users table to sort by.' });
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Ascending (ASC) or descending (DESC).' });
/** The shared PermissionLevel values, with GraphQL names equal to the values (FULL_ACCESS, ...). */
export const PermissionLevelEnum = Object.fromEntries(Object.values(PermissionLevel).map((v) => [v, v])) as {
  [K in PermissionLevel]: K;
};

registerEnumType(PermissionLevelEnum, {
  name: 'PermissionLevel',
  description: "A quick, human-readable level derived from the role's permissions.",
});
