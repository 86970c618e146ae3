/**
 * Error codes surfaced in GraphQL `extensions.code` (and JSON bodies of HTTP endpoints).
 * The console translates each code: keep `errors.<CODE>` keys in both languages.
 */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BadUserInput: 'BAD_USER_INPUT',
  CsrfInvalid: 'CSRF_INVALID',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  RateLimited: 'RATE_LIMITED',
  EmailTaken: 'EMAIL_TAKEN',
  InvitationPending: 'INVITATION_PENDING',
  InvitationInvalid: 'INVITATION_INVALID',
  InvitationExpired: 'INVITATION_EXPIRED',
  SetupUnavailable: 'SETUP_UNAVAILABLE',
  NotFound: 'NOT_FOUND',
  LastAdmin: 'LAST_ADMIN',
  SelfRoleChange: 'SELF_ROLE_CHANGE',
  SelfDelete: 'SELF_DELETE',
  SelfDeactivate: 'SELF_DEACTIVATE',
  AccountDeactivated: 'ACCOUNT_DEACTIVATED',
  UserStatusConflict: 'USER_STATUS_CONFLICT',
  SsoOnlyAccount: 'SSO_ONLY_ACCOUNT',
  PasswordResetInvalid: 'PASSWORD_RESET_INVALID',
  PasswordResetExpired: 'PASSWORD_RESET_EXPIRED',
  EmailNotConfigured: 'EMAIL_NOT_CONFIGURED',
  RoleNotGrantable: 'ROLE_NOT_GRANTABLE',
  ConfirmationMismatch: 'CONFIRMATION_MISMATCH',
  WrongPassword: 'WRONG_PASSWORD',
  WeakPassword: 'WEAK_PASSWORD',
  PasswordMismatch: 'PASSWORD_MISMATCH',
  TeamNameTaken: 'TEAM_NAME_TAKEN',
  TwoFactorCodeInvalid: 'TWO_FACTOR_CODE_INVALID',
  TwoFactorCodeReused: 'TWO_FACTOR_CODE_REUSED',
  TwoFactorChallengeExpired: 'TWO_FACTOR_CHALLENGE_EXPIRED',
  TwoFactorAlreadyEnabled: 'TWO_FACTOR_ALREADY_ENABLED',
  TwoFactorNotEnabled: 'TWO_FACTOR_NOT_ENABLED',
  TwoFactorSetupNotStarted: 'TWO_FACTOR_SETUP_NOT_STARTED',
  PasswordSignInDisabled: 'PASSWORD_SIGN_IN_DISABLED',
  SsoNotConfigured: 'SSO_NOT_CONFIGURED',
  SsoFailed: 'SSO_FAILED',
  SsoDenied: 'SSO_DENIED',
  SsoEmailNotVerified: 'SSO_EMAIL_NOT_VERIFIED',
  SsoEmailMismatch: 'SSO_EMAIL_MISMATCH',
  SsoNotInvited: 'SSO_NOT_INVITED',
  SsoAccountConflict: 'SSO_ACCOUNT_CONFLICT',
  InvitationRequiresSso: 'INVITATION_REQUIRES_SSO',
  SsoLinkRequired: 'SSO_LINK_REQUIRED',
  SsoUnavailable: 'SSO_UNAVAILABLE',
  ServiceBusy: 'SERVICE_BUSY',
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  InternalError: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The word an admin types to confirm a deletion; the API demands the same. */
export const DELETE_CONFIRMATION_WORD = 'DELETE';
