/** The users feature's enums (named in GraphQL by users.enums.graphql.ts): a person's status, console language and theme, the table's sort and 2FA filter. */
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
