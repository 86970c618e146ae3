/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { gql } from 'apollo-angular';
import { Injectable } from '@angular/core';
import * as Apollo from 'apollo-angular';
/** Accepting an invitation: a new person registers with names and password; a person who has an account already accepts it signed in as the invited email, with the token alone. */
export type AcceptInvitationInput = {
  /** First name, 1 to 100 characters (registration only). */
  firstName?: string | null | undefined;
  /** Last name, 1 to 100 characters (registration only). */
  lastName?: string | null | undefined;
  /** 10 to 256 characters, not a common password, not containing the email (registration only). */
  password?: string | null | undefined;
  /** The same password again (registration only). */
  passwordConfirmation?: string | null | undefined;
  /** The token from the invitation URL (single use). */
  token: string;
};

/** ACTIVE tokens work; EXPIRED tokens are past their expiry. */
export type ApiTokenStatus =
  | 'ACTIVE'
  | 'EXPIRED';

/** Your current password and the new one, twice. */
export type ChangePasswordInput = {
  /** Your current password; a wrong one fails with WRONG_PASSWORD. */
  currentPassword: string;
  /** 10 to 256 characters, not a common password, not containing your email. */
  newPassword: string;
  /** The same new password again. */
  newPasswordConfirmation: string;
};

/** A new API token: name, lifetime and optional role cap. */
export type CreateApiTokenInput = {
  /** Days until it expires (1–3650); never when omitted. */
  expiresInDays?: number | null | undefined;
  /** What the token is for, 1–80 characters. */
  name: string;
  /** Cap the token to this role (at most your own permissions). */
  roleId?: string | null | undefined;
};

/** Whom to invite, with which role and teams. */
export type CreateInvitationInput = {
  /** Their email; refused if it is an active user's or already has a pending invitation. */
  email: string;
  /** Role they get (one you could grant yourself). */
  roleId: string;
  /** Teams ("resource groups") the person joins. */
  teamIds: Array<string>;
};

/** Many invitations at once (1 to 1,000), made together or not at all. */
export type CreateInvitationsInput = {
  /** One entry per person: email, role and teams, under the same rules as createInvitation. */
  invitations: Array<CreateInvitationInput>;
};

/** A new OpenID Connect client. */
export type CreateOidcClientInput = {
  /** The back-channel logout URI, the same rules. */
  backchannelLogoutUri?: string | null | undefined;
  /** A first-party application (no consent asked). */
  firstParty: boolean;
  /** The application's name, 1 to 100 characters. */
  name: string;
  /** Usable by people of every organization (operators only). */
  platformWide?: boolean | null | undefined;
  /** Up to 10 post-logout redirect URIs, the same rules. */
  postLogoutRedirectUris?: Array<string> | null | undefined;
  /** A public client (no secret); cannot change later. */
  public: boolean;
  /** 1 to 10 redirect URIs: absolute https (http only on loopback), no fragment nor credentials, at most 2000 characters each. */
  redirectUris: Array<string>;
};

/** A new organization and the email of its first admin. */
export type CreateOrganizationInput = {
  /** Who is invited as its first admin (Admin role). */
  firstAdminEmail: string;
  /** Its name, 1 to 100 characters. */
  name: string;
  /** Its name in URLs and in the X-Roster-Organization header: 1 to 40 of a-z, 0-9 and -, neither first nor last (typed in any case), not a reserved word; unique (SLUG_TAKEN). */
  slug: string;
};

/** A new custom role. */
export type CreateRoleInput = {
  /** What the role is for: up to 200 characters (empty when left out). */
  description?: string | null | undefined;
  /** 1 to 50 characters, unique in the organization (whatever the case). */
  name: string;
  /** At least one permission of the vocabulary (see `permissions`), each within your own. */
  permissions: Array<string>;
};

/** A new webhook endpoint. */
export type CreateWebhookEndpointInput = {
  /** What it is for, at most 500 characters. */
  description?: string | null | undefined;
  /** The event types to receive: 1 or more of webhookEventTypes (duplicates dropped). */
  eventTypes: Array<string>;
  /** Where to POST the events: an absolute https URL (http too with ALLOW_PRIVATE_TARGETS), at most 2000 characters, no credentials nor fragment, whose host is public. */
  url: string;
};

/** The organization to delete, with its slug typed as confirmation. */
export type DeleteOrganizationInput = {
  /** Its slug, in any case (CONFIRMATION_MISMATCH otherwise). */
  confirmation: string;
  /** The organization. */
  id: string;
};

/** The person to delete, with the typed confirmation. */
export type DeleteUserInput = {
  /** Must be the confirmation word DELETE, as typed in the console. */
  confirmation: string;
  /** The person to delete (not yourself, not the last admin). */
  id: string;
};

/** Proof that you may turn two-factor authentication off. */
export type DisableTwoFactorInput = {
  /** A current 6-digit code (or a recovery code). */
  code: string;
  /** Your current password. */
  password: string;
};

/** Delivery of an email: PENDING (queued or being retried), SENT (accepted by the mail server), FAILED (given up). */
export type EmailStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

/** Console language. */
export type Language =
  | 'EN'
  | 'FR';

/** ACTIVE organizations work; SUSPENDED ones refuse every request naming them; DELETING ones are being removed. */
export type OrganizationStatus =
  | 'ACTIVE'
  | 'DELETING'
  | 'SUSPENDED';

/** A quick, human-readable level derived from the role's permissions. */
export type PermissionLevel =
  | 'FULL_ACCESS'
  | 'MANAGE_USERS'
  | 'NONE'
  | 'READ_ONLY'
  | 'STANDARD';

/** A new password, through a reset link. */
export type ResetPasswordInput = {
  /** 10 to 256 characters, not a common password, not containing the email. */
  password: string;
  /** The same password again. */
  passwordConfirmation: string;
  /** The token from the reset URL (single use). */
  token: string;
};

/** The organization's OpenID Connect connection. */
export type SetSsoConnectionInput = {
  /** The client id, 1 to 200 characters. */
  clientId: string;
  /** The client secret (at most 500 characters), sealed and never returned; omit it to keep the one set. */
  clientSecret?: string | null | undefined;
  /** The role of people who join through the provider; not Admin. */
  defaultRoleId: string;
  /** The issuer URL: https (plain http only to localhost outside production), at most 500 characters. */
  issuer: string;
  /** The label of the "Continue with …" button, 1 to 40 characters. */
  label: string;
  /** Members act in the organization only after signing in through its provider. */
  requireSso: boolean;
};

/** The whole two-factor policy. */
export type SetTwoFactorPolicyInput = {
  /** The roles that require two-factor authentication (the others do not). */
  requiredRoleIds: Array<string>;
  /** How single sign-on counts. */
  ssoMode: SsoTwoFactorMode;
};

/** Registration of the first Admin, on first start. */
export type SetupFirstAdminInput = {
  /** Login email of the first Admin. */
  email: string;
  /** First name, 1 to 100 characters. */
  firstName: string;
  /** Last name, 1 to 100 characters. */
  lastName: string;
  /** 10 to 256 characters, not a common password, not containing the email. */
  password: string;
  /** The same password again. */
  passwordConfirmation: string;
  /** The set-up token from the URL printed on first start (single use). */
  token: string;
};

/** Email + password sign-in (refused when password sign-in is disabled). */
export type SignInInput = {
  /** Login email (case-insensitive). */
  email: string;
  /** The password; a wrong one and an unknown email get the same error. */
  password: string;
};

/** PASSWORD, or SSO: the email's domain belongs to an organization that signs its people in through its provider. */
export type SignInMethodKind =
  | 'PASSWORD'
  | 'SSO';

/** Ascending (ASC) or descending (DESC). */
export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Single sign-on and the two-factor policy: TRUST_PROVIDER (the identity provider's own MFA is enough) or REQUIRE_TOTP (people with Roster's two-factor authentication also enter a code, and required roles set it up). */
export type SsoTwoFactorMode =
  | 'REQUIRE_TOTP'
  | 'TRUST_PROVIDER';

/** The name of a new or renamed team. */
export type TeamNameInput = {
  /** 1 to 80 characters, unique (case-insensitive). */
  name: string;
};

/** A connection to check before saving it: no secret needed. */
export type TestSsoConnectionInput = {
  /** The issuer URL. */
  issuer: string;
};

/** Console theme; SYSTEM follows the device. */
export type Theme =
  | 'DARK'
  | 'LIGHT'
  | 'SYSTEM';

/** A code from the authenticator app. */
export type TwoFactorCodeInput = {
  /** The 6-digit code from the authenticator app. */
  code: string;
};

/** Whether a person uses two-factor authentication: ENABLED, or MISSING (not set up). */
export type TwoFactorState =
  | 'ENABLED'
  | 'MISSING';

/** Your own profile and preferences. Omitted fields stay. */
export type UpdateMyProfileInput = {
  /** First name, 1 to 100 characters. */
  firstName?: string | null | undefined;
  /** Console language. */
  language?: Language | null | undefined;
  /** Last name, 1 to 100 characters. */
  lastName?: string | null | undefined;
  /** Console theme. */
  theme?: Theme | null | undefined;
};

/** Changes to a client (its kind, public or not, stays). */
export type UpdateOidcClientInput = {
  /** The back-channel logout URI; null removes it. */
  backchannelLogoutUri?: string | null | undefined;
  /** A first-party application (no consent asked). */
  firstParty: boolean;
  /** The client to change. */
  id: string;
  /** The application's name, 1 to 100 characters. */
  name: string;
  /** Up to 10 post-logout redirect URIs. */
  postLogoutRedirectUris?: Array<string> | null | undefined;
  /** 1 to 10 redirect URIs. */
  redirectUris: Array<string>;
};

/** An organization's new name. */
export type UpdateOrganizationInput = {
  /** The organization. */
  id: string;
  /** Its name, 1 to 100 characters. */
  name: string;
};

/** Changes to a custom role: what is left out stays. */
export type UpdateRoleInput = {
  /** A new description: up to 200 characters. */
  description?: string | null | undefined;
  /** The role to change. */
  id: string;
  /** A new name: 1 to 50 characters, unique in the organization (whatever the case). */
  name?: string | null | undefined;
  /** The new set of permissions: at least one, each within your own. */
  permissions?: Array<string> | null | undefined;
};

/** What an admin edits on a person. Omitted fields stay. */
export type UpdateUserInput = {
  /** First name, 1 to 100 characters. */
  firstName?: string | null | undefined;
  /** The person to edit. */
  id: string;
  /** Last name, 1 to 100 characters. */
  lastName?: string | null | undefined;
  /** New role (one you could grant). You cannot change your own role or demote the last admin. */
  roleId?: string | null | undefined;
  /** The complete new set of teams. */
  teamIds?: Array<string> | null | undefined;
};

/** Changes to a webhook endpoint; fields left out stay as they are. */
export type UpdateWebhookEndpointInput = {
  /** What it is for, at most 500 characters. */
  description?: string | null | undefined;
  /** false disables it (MANUAL); true enables it again. */
  enabled?: boolean | null | undefined;
  /** The new list of event types (replaces the old one). */
  eventTypes?: Array<string> | null | undefined;
  /** The endpoint to change. */
  id: string;
  /** A new URL (the same rules as at creation); the secret stays. */
  url?: string | null | undefined;
};

/** A column of the users table to sort by. */
export type UserSortField =
  | 'EMAIL'
  | 'FIRST_NAME'
  | 'LAST_CONNECTION'
  | 'LAST_NAME'
  | 'PERMISSIONS'
  | 'ROLE'
  | 'TEAMS';

/** ACTIVE people can sign in; INVITED people have a pending invitation; DEACTIVATED people keep their data but cannot sign in. */
export type UserStatus =
  | 'ACTIVE'
  | 'DEACTIVATED'
  | 'INVITED';

/** The second sign-in step: the challenge and a code. */
export type VerifyTwoFactorInput = {
  /** The challengeToken returned by signIn. */
  challengeToken: string;
  /** A 6-digit code, or an unused recovery code. */
  code: string;
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** The endpoint answered with a 2xx. */
  | 'DELIVERED'
  /** Given up: 24 hours of failed attempts, a 410 Gone, or its endpoint disabled meanwhile. */
  | 'FAILED'
  /** Not attempted yet, or redelivery asked: sent as soon as possible. */
  | 'PENDING'
  /** An attempt failed; another one is due (for 24 hours). */
  | 'RETRYING';

/** Why an endpoint is disabled. */
export type WebhookDisabledReason =
  /** Its deliveries failed for three days. */
  | 'FAILING'
  /** It answered 410 Gone. */
  | 'GONE'
  /** An admin disabled it. */
  | 'MANUAL';

export type AdminApiTokenFieldsFragment = { id: string, name: string, prefix: string, ownerId: string, ownerEmail: string, roleName: string | null, roleKey: string | null, createdAt: string, expiresAt: string | null, lastUsedAt: string | null };

export type AllApiTokensQueryVariables = Exact<{
  search?: string | null | undefined;
  status?: ApiTokenStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AllApiTokensQuery = { allApiTokens: { totalCount: number, endCursor: string | null, hasNextPage: boolean, tokens: Array<{ id: string, name: string, prefix: string, ownerId: string, ownerEmail: string, roleName: string | null, roleKey: string | null, createdAt: string, expiresAt: string | null, lastUsedAt: string | null }> } };

export type ApiTokenFieldsFragment = { id: string, name: string, prefix: string, roleName: string | null, roleKey: string | null, createdAt: string, expiresAt: string | null, lastUsedAt: string | null };

export type MyApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type MyApiTokensQuery = { myApiTokens: Array<{ id: string, name: string, prefix: string, roleName: string | null, roleKey: string | null, createdAt: string, expiresAt: string | null, lastUsedAt: string | null }> };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken: { secret: string, token: { id: string, name: string, prefix: string, roleName: string | null, roleKey: string | null, createdAt: string, expiresAt: string | null, lastUsedAt: string | null } } };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiTokenMutation = { revokeApiToken: boolean };

export type AuditEventsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  actor?: string | null | undefined;
  target?: string | null | undefined;
  action?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { hasNextPage: boolean, endCursor: string | null, events: Array<{ id: string, createdAt: string, actorId: string | null, actorEmail: string | null, action: string, targetId: string | null, targetEmail: string | null, details: string }> } };

export type AuditActionsQueryVariables = Exact<{ [key: string]: never; }>;


export type AuditActionsQuery = { auditActions: Array<string> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } | null };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn: { twoFactorRequired: boolean, challengeToken: string | null, challengeExpiresAt: string | null, me: { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } | null } };

export type VerifyTwoFactorMutationVariables = Exact<{
  input: VerifyTwoFactorInput;
}>;


export type VerifyTwoFactorMutation = { verifyTwoFactor: { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type SetupFirstAdminMutationVariables = Exact<{
  input: SetupFirstAdminInput;
}>;


export type SetupFirstAdminMutation = { setupFirstAdmin: { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } };

export type InvitationPreviewQueryVariables = Exact<{
  token: string;
}>;


export type InvitationPreviewQuery = { invitation: { email: string, expiresAt: string, existingAccount: boolean } };

export type AcceptInvitationMutationVariables = Exact<{
  input: AcceptInvitationInput;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } };

export type AuthConfigQueryVariables = Exact<{ [key: string]: never; }>;


export type AuthConfigQuery = { authConfig: { passwordSignIn: boolean, ssoLabel: string | null, ssoUrl: string | null, passwordResetByEmail: boolean } };

export type UserRowFragment = { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> };

export type MeFieldsFragment = { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } };

export type InvitationFieldsFragment = { url: string, urlKind: string, expiresAt: string, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } };

export type CreateInvitationMutationVariables = Exact<{
  input: CreateInvitationInput;
}>;


export type CreateInvitationMutation = { createInvitation: { url: string, urlKind: string, expiresAt: string, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } };

export type RegenerateInvitationMutationVariables = Exact<{
  userId: string;
}>;


export type RegenerateInvitationMutation = { regenerateInvitation: { url: string, urlKind: string, expiresAt: string, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } };

export type RevokeInvitationMutationVariables = Exact<{
  userId: string;
}>;


export type RevokeInvitationMutation = { revokeInvitation: boolean };

export type CreateInvitationsMutationVariables = Exact<{
  input: CreateInvitationsInput;
}>;


export type CreateInvitationsMutation = { createInvitations: Array<{ url: string, user: { id: string, email: string } }> };

export type EmailsInUseQueryVariables = Exact<{
  emails: Array<string> | string;
}>;


export type EmailsInUseQuery = { emailsInUse: Array<{ email: string, status: string, pending: boolean }> };

export type OidcClientFieldsFragment = { id: string, clientId: string, name: string, redirectUris: Array<string>, postLogoutRedirectUris: Array<string>, backchannelLogoutUri: string | null, public: boolean, firstParty: boolean, platformWide: boolean, createdAt: string, updatedAt: string };

export type OidcClientsQueryVariables = Exact<{ [key: string]: never; }>;


export type OidcClientsQuery = { oidcClients: Array<{ id: string, clientId: string, name: string, redirectUris: Array<string>, postLogoutRedirectUris: Array<string>, backchannelLogoutUri: string | null, public: boolean, firstParty: boolean, platformWide: boolean, createdAt: string, updatedAt: string }> };

export type CreateOidcClientMutationVariables = Exact<{
  input: CreateOidcClientInput;
}>;


export type CreateOidcClientMutation = { createOidcClient: { clientSecret: string | null, client: { id: string, clientId: string, name: string, redirectUris: Array<string>, postLogoutRedirectUris: Array<string>, backchannelLogoutUri: string | null, public: boolean, firstParty: boolean, platformWide: boolean, createdAt: string, updatedAt: string } } };

export type UpdateOidcClientMutationVariables = Exact<{
  input: UpdateOidcClientInput;
}>;


export type UpdateOidcClientMutation = { updateOidcClient: { id: string, clientId: string, name: string, redirectUris: Array<string>, postLogoutRedirectUris: Array<string>, backchannelLogoutUri: string | null, public: boolean, firstParty: boolean, platformWide: boolean, createdAt: string, updatedAt: string } };

export type RotateOidcClientSecretMutationVariables = Exact<{
  id: string;
}>;


export type RotateOidcClientSecretMutation = { rotateOidcClientSecret: { clientSecret: string | null, client: { id: string, clientId: string, name: string, redirectUris: Array<string>, postLogoutRedirectUris: Array<string>, backchannelLogoutUri: string | null, public: boolean, firstParty: boolean, platformWide: boolean, createdAt: string, updatedAt: string } } };

export type DeleteOidcClientMutationVariables = Exact<{
  id: string;
}>;


export type DeleteOidcClientMutation = { deleteOidcClient: boolean };

export type OrganizationRowFragment = { id: string, slug: string, name: string, status: OrganizationStatus, memberCount: number, createdAt: string, domains: Array<string> };

export type OrganizationsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type OrganizationsQuery = { organizations: { hasNextPage: boolean, endCursor: string | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus, memberCount: number, createdAt: string, domains: Array<string> }> } };

export type CreateOrganizationMutationVariables = Exact<{
  input: CreateOrganizationInput;
}>;


export type CreateOrganizationMutation = { createOrganization: { organization: { id: string, slug: string, name: string, status: OrganizationStatus, memberCount: number, createdAt: string, domains: Array<string> }, invitation: { url: string } } };

export type UpdateOrganizationMutationVariables = Exact<{
  input: UpdateOrganizationInput;
}>;


export type UpdateOrganizationMutation = { updateOrganization: { id: string, slug: string, name: string, status: OrganizationStatus, memberCount: number, createdAt: string, domains: Array<string> } };

export type SuspendOrganizationMutationVariables = Exact<{
  id: string;
}>;


export type SuspendOrganizationMutation = { suspendOrganization: { id: string, slug: string, name: string, status: OrganizationStatus, memberCount: number, createdAt: string, domains: Array<string> } };

export type ReactivateOrganizationMutationVariables = Exact<{
  id: string;
}>;


export type ReactivateOrganizationMutation = { reactivateOrganization: { id: string, slug: string, name: string, status: OrganizationStatus, memberCount: number, createdAt: string, domains: Array<string> } };

export type DeleteOrganizationMutationVariables = Exact<{
  input: DeleteOrganizationInput;
}>;


export type DeleteOrganizationMutation = { deleteOrganization: boolean };

export type MyOrganizationsQueryVariables = Exact<{
  search?: string | null | undefined;
  first: number;
}>;


export type MyOrganizationsQuery = { me: { organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }> } | null };

export type CreatePasswordResetMutationVariables = Exact<{
  userId: string;
}>;


export type CreatePasswordResetMutation = { createPasswordReset: { url: string, expiresAt: string } };

export type PasswordResetPreviewQueryVariables = Exact<{
  token: string;
}>;


export type PasswordResetPreviewQuery = { passwordReset: { email: string, expiresAt: string, firstPassword: boolean } };

export type ResetPasswordMutationVariables = Exact<{
  input: ResetPasswordInput;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type UpdateMyProfileMutationVariables = Exact<{
  input: UpdateMyProfileInput;
}>;


export type UpdateMyProfileMutation = { updateMyProfile: { language: Language, theme: Theme, permissions: Array<string>, twoFactorSetupRequired: boolean, operator: boolean, organization: { id: string, slug: string, name: string, status: OrganizationStatus } | null, organizations: Array<{ id: string, slug: string, name: string, status: OrganizationStatus }>, user: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } } };

export type ChangeMyPasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangeMyPasswordMutation = { changeMyPassword: number };

export type RoleRowFragment = { id: string, key: string, name: string, description: string, builtIn: boolean, permissions: Array<string>, permissionLevel: PermissionLevel, holders: number };

export type RolesPageQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesPageQuery = { roles: Array<{ id: string, key: string, name: string, description: string, builtIn: boolean, permissions: Array<string>, permissionLevel: PermissionLevel, holders: number }>, permissions: Array<{ key: string, label: string, description: string, area: string }> };

export type CreateRoleMutationVariables = Exact<{
  input: CreateRoleInput;
}>;


export type CreateRoleMutation = { createRole: { id: string, key: string, name: string, description: string, builtIn: boolean, permissions: Array<string>, permissionLevel: PermissionLevel, holders: number } };

export type UpdateRoleMutationVariables = Exact<{
  input: UpdateRoleInput;
}>;


export type UpdateRoleMutation = { updateRole: { id: string, key: string, name: string, description: string, builtIn: boolean, permissions: Array<string>, permissionLevel: PermissionLevel, holders: number } };

export type DeleteRoleMutationVariables = Exact<{
  id: string;
  replacementRoleId?: string | null | undefined;
}>;


export type DeleteRoleMutation = { deleteRole: boolean };

export type SessionFieldsFragment = { id: string, browser: string | null, os: string | null, deviceType: string | null, ip: string | null, createdAt: string, lastActiveAt: string, sso: boolean, current: boolean };

export type MySessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type MySessionsQuery = { mySessions: Array<{ id: string, browser: string | null, os: string | null, deviceType: string | null, ip: string | null, createdAt: string, lastActiveAt: string, sso: boolean, current: boolean }> };

export type RevokeMySessionMutationVariables = Exact<{
  id: string;
}>;


export type RevokeMySessionMutation = { revokeMySession: boolean };

export type RevokeMyOtherSessionsMutationVariables = Exact<{ [key: string]: never; }>;


export type RevokeMyOtherSessionsMutation = { revokeMyOtherSessions: number };

export type UserSessionsQueryVariables = Exact<{
  userId: string;
}>;


export type UserSessionsQuery = { userSessions: Array<{ id: string, browser: string | null, os: string | null, deviceType: string | null, ip: string | null, createdAt: string, lastActiveAt: string, sso: boolean, current: boolean }> };

export type RevokeSessionMutationVariables = Exact<{
  id: string;
}>;


export type RevokeSessionMutation = { revokeSession: boolean };

export type SsoConnectionFieldsFragment = { issuer: string, clientId: string, hasSecret: boolean, fromEnv: boolean, label: string, defaultRoleId: string, requireSso: boolean, updatedAt: string };

export type SsoConnectionQueryVariables = Exact<{ [key: string]: never; }>;


export type SsoConnectionQuery = { ssoConnection: { issuer: string, clientId: string, hasSecret: boolean, fromEnv: boolean, label: string, defaultRoleId: string, requireSso: boolean, updatedAt: string } | null, roles: Array<{ id: string, key: string, name: string }> };

export type SetSsoConnectionMutationVariables = Exact<{
  input: SetSsoConnectionInput;
}>;


export type SetSsoConnectionMutation = { setSsoConnection: { issuer: string, clientId: string, hasSecret: boolean, fromEnv: boolean, label: string, defaultRoleId: string, requireSso: boolean, updatedAt: string } };

export type TestSsoConnectionMutationVariables = Exact<{
  input: TestSsoConnectionInput;
}>;


export type TestSsoConnectionMutation = { testSsoConnection: { ok: boolean, message: string } };

export type DeleteSsoConnectionMutationVariables = Exact<{ [key: string]: never; }>;


export type DeleteSsoConnectionMutation = { deleteSsoConnection: boolean };

export type SignInMethodQueryVariables = Exact<{
  email: string;
}>;


export type SignInMethodQuery = { signInMethod: { method: SignInMethodKind, ssoUrl: string | null, ssoLabel: string | null } };

export type SetOrganizationDomainsMutationVariables = Exact<{
  id: string;
  domains: Array<string> | string;
}>;


export type SetOrganizationDomainsMutation = { setOrganizationDomains: Array<string> };

export type TeamsQueryVariables = Exact<{ [key: string]: never; }>;


export type TeamsQuery = { teams: Array<{ id: string, name: string, memberCount: number | null }> };

export type CreateTeamMutationVariables = Exact<{
  input: TeamNameInput;
}>;


export type CreateTeamMutation = { createTeam: { id: string, name: string, memberCount: number | null } };

export type RenameTeamMutationVariables = Exact<{
  id: string;
  input: TeamNameInput;
}>;


export type RenameTeamMutation = { renameTeam: { id: string, name: string, memberCount: number | null } };

export type DeleteTeamMutationVariables = Exact<{
  id: string;
}>;


export type DeleteTeamMutation = { deleteTeam: boolean };

export type TwoFactorPolicyFieldsFragment = { ssoMode: SsoTwoFactorMode, roles: Array<{ required: boolean, activeMembers: number, affected: number, role: { id: string, key: string, name: string } }> };

export type TwoFactorPolicyQueryVariables = Exact<{ [key: string]: never; }>;


export type TwoFactorPolicyQuery = { twoFactorPolicy: { ssoMode: SsoTwoFactorMode, roles: Array<{ required: boolean, activeMembers: number, affected: number, role: { id: string, key: string, name: string } }> } };

export type SetTwoFactorPolicyMutationVariables = Exact<{
  input: SetTwoFactorPolicyInput;
}>;


export type SetTwoFactorPolicyMutation = { setTwoFactorPolicy: { ssoMode: SsoTwoFactorMode, roles: Array<{ required: boolean, activeMembers: number, affected: number, role: { id: string, key: string, name: string } }> } };

export type StartTwoFactorSetupMutationVariables = Exact<{ [key: string]: never; }>;


export type StartTwoFactorSetupMutation = { startTwoFactorSetup: { secret: string, otpauthUri: string, qrCodeDataUrl: string } };

export type CompleteTwoFactorSetupMutationVariables = Exact<{
  input: TwoFactorCodeInput;
}>;


export type CompleteTwoFactorSetupMutation = { completeTwoFactorSetup: { recoveryCodes: Array<string> } };

export type DisableTwoFactorMutationVariables = Exact<{
  input: DisableTwoFactorInput;
}>;


export type DisableTwoFactorMutation = { disableTwoFactor: boolean };

export type ResetUserTwoFactorMutationVariables = Exact<{
  userId: string;
}>;


export type ResetUserTwoFactorMutation = { resetUserTwoFactor: boolean };

export type UsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  search?: string | null | undefined;
  status?: UserStatus | null | undefined;
  twoFactor?: TwoFactorState | null | undefined;
  sortBy: UserSortField;
  sortDirection: SortDirection;
}>;


export type UsersQuery = { users: { totalCount: number, totalCountIsExact: boolean, edges: Array<{ cursor: string, node: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } }>, pageInfo: { startCursor: string | null, endCursor: string | null, hasNextPage: boolean, hasPreviousPage: boolean } } };

export type RolesQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesQuery = { roles: Array<{ id: string, key: string, name: string, rank: number, permissions: Array<string>, permissionLevel: PermissionLevel }> };

export type UpdateUserMutationVariables = Exact<{
  input: UpdateUserInput;
}>;


export type UpdateUserMutation = { updateUser: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } };

export type DeleteUserMutationVariables = Exact<{
  input: DeleteUserInput;
}>;


export type DeleteUserMutation = { deleteUser: boolean };

export type RevokeUserSessionsMutationVariables = Exact<{
  userId: string;
}>;


export type RevokeUserSessionsMutation = { revokeUserSessions: number };

export type DeactivateUserMutationVariables = Exact<{
  id: string;
}>;


export type DeactivateUserMutation = { deactivateUser: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } };

export type ReactivateUserMutationVariables = Exact<{
  id: string;
}>;


export type ReactivateUserMutation = { reactivateUser: { id: string, email: string, firstName: string, lastName: string, status: UserStatus, permissionLevel: PermissionLevel, lastSignInAt: string | null, invitationExpiresAt: string | null, invitationEmailStatus: EmailStatus | null, twoFactorEnabled: boolean, provisioned: boolean, role: { id: string, name: string, key: string }, teams: Array<{ id: string, name: string }> } };

export type WebhookEndpointFieldsFragment = { id: string, url: string, description: string, eventTypes: Array<string>, enabled: boolean, disabledReason: WebhookDisabledReason | null, disabledAt: string | null, failingSince: string | null, lastSuccessAt: string | null, secretRotatedAt: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string };

export type WebhookEndpointsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, url: string, description: string, eventTypes: Array<string>, enabled: boolean, disabledReason: WebhookDisabledReason | null, disabledAt: string | null, failingSince: string | null, lastSuccessAt: string | null, secretRotatedAt: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string }> };

export type WebhookEventTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEventTypesQuery = { webhookEventTypes: Array<string> };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, url: string, description: string, eventTypes: Array<string>, enabled: boolean, disabledReason: WebhookDisabledReason | null, disabledAt: string | null, failingSince: string | null, lastSuccessAt: string | null, secretRotatedAt: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } } };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  input: UpdateWebhookEndpointInput;
}>;


export type UpdateWebhookEndpointMutation = { updateWebhookEndpoint: { id: string, url: string, description: string, eventTypes: Array<string>, enabled: boolean, disabledReason: WebhookDisabledReason | null, disabledAt: string | null, failingSince: string | null, lastSuccessAt: string | null, secretRotatedAt: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } };

export type RotateWebhookSecretMutationVariables = Exact<{
  id: string;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, endpoint: { id: string, url: string, description: string, eventTypes: Array<string>, enabled: boolean, disabledReason: WebhookDisabledReason | null, disabledAt: string | null, failingSince: string | null, lastSuccessAt: string | null, secretRotatedAt: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } } };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;


export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint: boolean };

export type WebhookDeliveryFieldsFragment = { id: string, webhookId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, responseStatus: number | null, responseBody: string | null, error: string | null, createdAt: string, lastAttemptAt: string | null, nextAttemptAt: string | null };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: string;
  first: number;
  after?: string | null | undefined;
  status?: WebhookDeliveryStatus | null | undefined;
}>;


export type WebhookDeliveriesQuery = { webhookDeliveries: { hasNextPage: boolean, endCursor: string | null, deliveries: Array<{ id: string, webhookId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, responseStatus: number | null, responseBody: string | null, error: string | null, createdAt: string, lastAttemptAt: string | null, nextAttemptAt: string | null }> } };

export type RedeliverWebhookMutationVariables = Exact<{
  deliveryId: string;
}>;


export type RedeliverWebhookMutation = { redeliverWebhook: { id: string, webhookId: string, eventId: string, eventType: string, status: WebhookDeliveryStatus, attempts: number, responseStatus: number | null, responseBody: string | null, error: string | null, createdAt: string, lastAttemptAt: string | null, nextAttemptAt: string | null } };

export const AdminApiTokenFieldsFragmentDoc = gql`
    fragment AdminApiTokenFields on ApiToken {
  id
  name
  prefix
  ownerId
  ownerEmail
  roleName
  roleKey
  createdAt
  expiresAt
  lastUsedAt
}
    `;
export const ApiTokenFieldsFragmentDoc = gql`
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  roleName
  roleKey
  createdAt
  expiresAt
  lastUsedAt
}
    `;
export const UserRowFragmentDoc = gql`
    fragment UserRow on User {
  id
  email
  firstName
  lastName
  status
  permissionLevel
  lastSignInAt
  invitationExpiresAt
  invitationEmailStatus
  twoFactorEnabled
  provisioned
  role {
    id
    name
    key
  }
  teams {
    id
    name
  }
}
    `;
export const MeFieldsFragmentDoc = gql`
    fragment MeFields on Me {
  language
  theme
  permissions
  twoFactorSetupRequired
  operator
  organization {
    id
    slug
    name
    status
  }
  organizations {
    id
    slug
    name
    status
  }
  user {
    ...UserRow
  }
}
    ${UserRowFragmentDoc}`;
export const InvitationFieldsFragmentDoc = gql`
    fragment InvitationFields on InvitationResult {
  url
  urlKind
  expiresAt
  user {
    ...UserRow
  }
}
    ${UserRowFragmentDoc}`;
export const OidcClientFieldsFragmentDoc = gql`
    fragment OidcClientFields on OidcClient {
  id
  clientId
  name
  redirectUris
  postLogoutRedirectUris
  backchannelLogoutUri
  public
  firstParty
  platformWide
  createdAt
  updatedAt
}
    `;
export const OrganizationRowFragmentDoc = gql`
    fragment OrganizationRow on Organization {
  id
  slug
  name
  status
  memberCount
  createdAt
  domains
}
    `;
export const RoleRowFragmentDoc = gql`
    fragment RoleRow on Role {
  id
  key
  name
  description
  builtIn
  permissions
  permissionLevel
  holders
}
    `;
export const SessionFieldsFragmentDoc = gql`
    fragment SessionFields on Session {
  id
  browser
  os
  deviceType
  ip
  createdAt
  lastActiveAt
  sso
  current
}
    `;
export const SsoConnectionFieldsFragmentDoc = gql`
    fragment SsoConnectionFields on SsoConnection {
  issuer
  clientId
  hasSecret
  fromEnv
  label
  defaultRoleId
  requireSso
  updatedAt
}
    `;
export const TwoFactorPolicyFieldsFragmentDoc = gql`
    fragment TwoFactorPolicyFields on TwoFactorPolicy {
  ssoMode
  roles {
    role {
      id
      key
      name
    }
    required
    activeMembers
    affected
  }
}
    `;
export const WebhookEndpointFieldsFragmentDoc = gql`
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  disabledAt
  failingSince
  lastSuccessAt
  secretRotatedAt
  previousSecretExpiresAt
  createdAt
  updatedAt
}
    `;
export const WebhookDeliveryFieldsFragmentDoc = gql`
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  webhookId
  eventId
  eventType
  status
  attempts
  responseStatus
  responseBody
  error
  createdAt
  lastAttemptAt
  nextAttemptAt
}
    `;
export const AllApiTokensDocument = gql`
    query AllApiTokens($search: String, $status: ApiTokenStatus, $first: Int, $after: String) {
  allApiTokens(search: $search, status: $status, first: $first, after: $after) {
    tokens {
      ...AdminApiTokenFields
    }
    totalCount
    endCursor
    hasNextPage
  }
}
    ${AdminApiTokenFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class AllApiTokensGQL extends Apollo.Query<AllApiTokensQuery, AllApiTokensQueryVariables> {
    override document = AllApiTokensDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const MyApiTokensDocument = gql`
    query MyApiTokens {
  myApiTokens {
    ...ApiTokenFields
  }
}
    ${ApiTokenFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class MyApiTokensGQL extends Apollo.Query<MyApiTokensQuery, MyApiTokensQueryVariables> {
    override document = MyApiTokensDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateApiTokenDocument = gql`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    secret
    token {
      ...ApiTokenFields
    }
  }
}
    ${ApiTokenFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateApiTokenGQL extends Apollo.Mutation<CreateApiTokenMutation, CreateApiTokenMutationVariables> {
    override document = CreateApiTokenDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RevokeApiTokenDocument = gql`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RevokeApiTokenGQL extends Apollo.Mutation<RevokeApiTokenMutation, RevokeApiTokenMutationVariables> {
    override document = RevokeApiTokenDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const AuditEventsDocument = gql`
    query AuditEvents($first: Int, $after: ID, $actor: String, $target: String, $action: String, $from: DateTime, $to: DateTime) {
  auditEvents(
    first: $first
    after: $after
    actor: $actor
    target: $target
    action: $action
    from: $from
    to: $to
  ) {
    events {
      id
      createdAt
      actorId
      actorEmail
      action
      targetId
      targetEmail
      details
    }
    hasNextPage
    endCursor
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class AuditEventsGQL extends Apollo.Query<AuditEventsQuery, AuditEventsQueryVariables> {
    override document = AuditEventsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const AuditActionsDocument = gql`
    query AuditActions {
  auditActions
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class AuditActionsGQL extends Apollo.Query<AuditActionsQuery, AuditActionsQueryVariables> {
    override document = AuditActionsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const MeDocument = gql`
    query Me {
  me {
    ...MeFields
  }
}
    ${MeFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class MeGQL extends Apollo.Query<MeQuery, MeQueryVariables> {
    override document = MeDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SignInDocument = gql`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    twoFactorRequired
    challengeToken
    challengeExpiresAt
    me {
      ...MeFields
    }
  }
}
    ${MeFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class SignInGQL extends Apollo.Mutation<SignInMutation, SignInMutationVariables> {
    override document = SignInDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const VerifyTwoFactorDocument = gql`
    mutation VerifyTwoFactor($input: VerifyTwoFactorInput!) {
  verifyTwoFactor(input: $input) {
    ...MeFields
  }
}
    ${MeFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class VerifyTwoFactorGQL extends Apollo.Mutation<VerifyTwoFactorMutation, VerifyTwoFactorMutationVariables> {
    override document = VerifyTwoFactorDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SignOutDocument = gql`
    mutation SignOut {
  signOut
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class SignOutGQL extends Apollo.Mutation<SignOutMutation, SignOutMutationVariables> {
    override document = SignOutDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SetupFirstAdminDocument = gql`
    mutation SetupFirstAdmin($input: SetupFirstAdminInput!) {
  setupFirstAdmin(input: $input) {
    ...MeFields
  }
}
    ${MeFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class SetupFirstAdminGQL extends Apollo.Mutation<SetupFirstAdminMutation, SetupFirstAdminMutationVariables> {
    override document = SetupFirstAdminDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const InvitationPreviewDocument = gql`
    query InvitationPreview($token: String!) {
  invitation(token: $token) {
    email
    expiresAt
    existingAccount
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class InvitationPreviewGQL extends Apollo.Query<InvitationPreviewQuery, InvitationPreviewQueryVariables> {
    override document = InvitationPreviewDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const AcceptInvitationDocument = gql`
    mutation AcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) {
    ...MeFields
  }
}
    ${MeFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class AcceptInvitationGQL extends Apollo.Mutation<AcceptInvitationMutation, AcceptInvitationMutationVariables> {
    override document = AcceptInvitationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const AuthConfigDocument = gql`
    query AuthConfig {
  authConfig {
    passwordSignIn
    ssoLabel
    ssoUrl
    passwordResetByEmail
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class AuthConfigGQL extends Apollo.Query<AuthConfigQuery, AuthConfigQueryVariables> {
    override document = AuthConfigDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateInvitationDocument = gql`
    mutation CreateInvitation($input: CreateInvitationInput!) {
  createInvitation(input: $input) {
    ...InvitationFields
  }
}
    ${InvitationFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateInvitationGQL extends Apollo.Mutation<CreateInvitationMutation, CreateInvitationMutationVariables> {
    override document = CreateInvitationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RegenerateInvitationDocument = gql`
    mutation RegenerateInvitation($userId: ID!) {
  regenerateInvitation(userId: $userId) {
    ...InvitationFields
  }
}
    ${InvitationFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class RegenerateInvitationGQL extends Apollo.Mutation<RegenerateInvitationMutation, RegenerateInvitationMutationVariables> {
    override document = RegenerateInvitationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RevokeInvitationDocument = gql`
    mutation RevokeInvitation($userId: ID!) {
  revokeInvitation(userId: $userId)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RevokeInvitationGQL extends Apollo.Mutation<RevokeInvitationMutation, RevokeInvitationMutationVariables> {
    override document = RevokeInvitationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateInvitationsDocument = gql`
    mutation CreateInvitations($input: CreateInvitationsInput!) {
  createInvitations(input: $input) {
    url
    user {
      id
      email
    }
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateInvitationsGQL extends Apollo.Mutation<CreateInvitationsMutation, CreateInvitationsMutationVariables> {
    override document = CreateInvitationsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const EmailsInUseDocument = gql`
    query EmailsInUse($emails: [String!]!) {
  emailsInUse(emails: $emails) {
    email
    status
    pending
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class EmailsInUseGQL extends Apollo.Query<EmailsInUseQuery, EmailsInUseQueryVariables> {
    override document = EmailsInUseDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const OidcClientsDocument = gql`
    query OidcClients {
  oidcClients {
    ...OidcClientFields
  }
}
    ${OidcClientFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class OidcClientsGQL extends Apollo.Query<OidcClientsQuery, OidcClientsQueryVariables> {
    override document = OidcClientsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateOidcClientDocument = gql`
    mutation CreateOidcClient($input: CreateOidcClientInput!) {
  createOidcClient(input: $input) {
    client {
      ...OidcClientFields
    }
    clientSecret
  }
}
    ${OidcClientFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateOidcClientGQL extends Apollo.Mutation<CreateOidcClientMutation, CreateOidcClientMutationVariables> {
    override document = CreateOidcClientDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UpdateOidcClientDocument = gql`
    mutation UpdateOidcClient($input: UpdateOidcClientInput!) {
  updateOidcClient(input: $input) {
    ...OidcClientFields
  }
}
    ${OidcClientFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UpdateOidcClientGQL extends Apollo.Mutation<UpdateOidcClientMutation, UpdateOidcClientMutationVariables> {
    override document = UpdateOidcClientDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RotateOidcClientSecretDocument = gql`
    mutation RotateOidcClientSecret($id: ID!) {
  rotateOidcClientSecret(id: $id) {
    client {
      ...OidcClientFields
    }
    clientSecret
  }
}
    ${OidcClientFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class RotateOidcClientSecretGQL extends Apollo.Mutation<RotateOidcClientSecretMutation, RotateOidcClientSecretMutationVariables> {
    override document = RotateOidcClientSecretDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteOidcClientDocument = gql`
    mutation DeleteOidcClient($id: ID!) {
  deleteOidcClient(id: $id)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteOidcClientGQL extends Apollo.Mutation<DeleteOidcClientMutation, DeleteOidcClientMutationVariables> {
    override document = DeleteOidcClientDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const OrganizationsDocument = gql`
    query Organizations($first: Int!, $after: String, $search: String) {
  organizations(first: $first, after: $after, search: $search) {
    organizations {
      ...OrganizationRow
    }
    hasNextPage
    endCursor
  }
}
    ${OrganizationRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class OrganizationsGQL extends Apollo.Query<OrganizationsQuery, OrganizationsQueryVariables> {
    override document = OrganizationsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateOrganizationDocument = gql`
    mutation CreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization {
      ...OrganizationRow
    }
    invitation {
      url
    }
  }
}
    ${OrganizationRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateOrganizationGQL extends Apollo.Mutation<CreateOrganizationMutation, CreateOrganizationMutationVariables> {
    override document = CreateOrganizationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UpdateOrganizationDocument = gql`
    mutation UpdateOrganization($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) {
    ...OrganizationRow
  }
}
    ${OrganizationRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UpdateOrganizationGQL extends Apollo.Mutation<UpdateOrganizationMutation, UpdateOrganizationMutationVariables> {
    override document = UpdateOrganizationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SuspendOrganizationDocument = gql`
    mutation SuspendOrganization($id: ID!) {
  suspendOrganization(id: $id) {
    ...OrganizationRow
  }
}
    ${OrganizationRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class SuspendOrganizationGQL extends Apollo.Mutation<SuspendOrganizationMutation, SuspendOrganizationMutationVariables> {
    override document = SuspendOrganizationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const ReactivateOrganizationDocument = gql`
    mutation ReactivateOrganization($id: ID!) {
  reactivateOrganization(id: $id) {
    ...OrganizationRow
  }
}
    ${OrganizationRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class ReactivateOrganizationGQL extends Apollo.Mutation<ReactivateOrganizationMutation, ReactivateOrganizationMutationVariables> {
    override document = ReactivateOrganizationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteOrganizationDocument = gql`
    mutation DeleteOrganization($input: DeleteOrganizationInput!) {
  deleteOrganization(input: $input)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteOrganizationGQL extends Apollo.Mutation<DeleteOrganizationMutation, DeleteOrganizationMutationVariables> {
    override document = DeleteOrganizationDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const MyOrganizationsDocument = gql`
    query MyOrganizations($search: String, $first: Int!) {
  me {
    organizations(search: $search, first: $first) {
      id
      slug
      name
      status
    }
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class MyOrganizationsGQL extends Apollo.Query<MyOrganizationsQuery, MyOrganizationsQueryVariables> {
    override document = MyOrganizationsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreatePasswordResetDocument = gql`
    mutation CreatePasswordReset($userId: ID!) {
  createPasswordReset(userId: $userId) {
    url
    expiresAt
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class CreatePasswordResetGQL extends Apollo.Mutation<CreatePasswordResetMutation, CreatePasswordResetMutationVariables> {
    override document = CreatePasswordResetDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const PasswordResetPreviewDocument = gql`
    query PasswordResetPreview($token: String!) {
  passwordReset(token: $token) {
    email
    expiresAt
    firstPassword
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class PasswordResetPreviewGQL extends Apollo.Query<PasswordResetPreviewQuery, PasswordResetPreviewQueryVariables> {
    override document = PasswordResetPreviewDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const ResetPasswordDocument = gql`
    mutation ResetPassword($input: ResetPasswordInput!) {
  resetPassword(input: $input)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class ResetPasswordGQL extends Apollo.Mutation<ResetPasswordMutation, ResetPasswordMutationVariables> {
    override document = ResetPasswordDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RequestPasswordResetDocument = gql`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RequestPasswordResetGQL extends Apollo.Mutation<RequestPasswordResetMutation, RequestPasswordResetMutationVariables> {
    override document = RequestPasswordResetDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UpdateMyProfileDocument = gql`
    mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    ...MeFields
  }
}
    ${MeFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UpdateMyProfileGQL extends Apollo.Mutation<UpdateMyProfileMutation, UpdateMyProfileMutationVariables> {
    override document = UpdateMyProfileDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const ChangeMyPasswordDocument = gql`
    mutation ChangeMyPassword($input: ChangePasswordInput!) {
  changeMyPassword(input: $input)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class ChangeMyPasswordGQL extends Apollo.Mutation<ChangeMyPasswordMutation, ChangeMyPasswordMutationVariables> {
    override document = ChangeMyPasswordDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RolesPageDocument = gql`
    query RolesPage {
  roles {
    ...RoleRow
  }
  permissions {
    key
    label
    description
    area
  }
}
    ${RoleRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class RolesPageGQL extends Apollo.Query<RolesPageQuery, RolesPageQueryVariables> {
    override document = RolesPageDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateRoleDocument = gql`
    mutation CreateRole($input: CreateRoleInput!) {
  createRole(input: $input) {
    ...RoleRow
  }
}
    ${RoleRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateRoleGQL extends Apollo.Mutation<CreateRoleMutation, CreateRoleMutationVariables> {
    override document = CreateRoleDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UpdateRoleDocument = gql`
    mutation UpdateRole($input: UpdateRoleInput!) {
  updateRole(input: $input) {
    ...RoleRow
  }
}
    ${RoleRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UpdateRoleGQL extends Apollo.Mutation<UpdateRoleMutation, UpdateRoleMutationVariables> {
    override document = UpdateRoleDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteRoleDocument = gql`
    mutation DeleteRole($id: ID!, $replacementRoleId: ID) {
  deleteRole(id: $id, replacementRoleId: $replacementRoleId)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteRoleGQL extends Apollo.Mutation<DeleteRoleMutation, DeleteRoleMutationVariables> {
    override document = DeleteRoleDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const MySessionsDocument = gql`
    query MySessions {
  mySessions {
    ...SessionFields
  }
}
    ${SessionFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class MySessionsGQL extends Apollo.Query<MySessionsQuery, MySessionsQueryVariables> {
    override document = MySessionsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RevokeMySessionDocument = gql`
    mutation RevokeMySession($id: ID!) {
  revokeMySession(id: $id)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RevokeMySessionGQL extends Apollo.Mutation<RevokeMySessionMutation, RevokeMySessionMutationVariables> {
    override document = RevokeMySessionDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RevokeMyOtherSessionsDocument = gql`
    mutation RevokeMyOtherSessions {
  revokeMyOtherSessions
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RevokeMyOtherSessionsGQL extends Apollo.Mutation<RevokeMyOtherSessionsMutation, RevokeMyOtherSessionsMutationVariables> {
    override document = RevokeMyOtherSessionsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UserSessionsDocument = gql`
    query UserSessions($userId: ID!) {
  userSessions(userId: $userId) {
    ...SessionFields
  }
}
    ${SessionFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UserSessionsGQL extends Apollo.Query<UserSessionsQuery, UserSessionsQueryVariables> {
    override document = UserSessionsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RevokeSessionDocument = gql`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RevokeSessionGQL extends Apollo.Mutation<RevokeSessionMutation, RevokeSessionMutationVariables> {
    override document = RevokeSessionDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SsoConnectionDocument = gql`
    query SsoConnection {
  ssoConnection {
    ...SsoConnectionFields
  }
  roles {
    id
    key
    name
  }
}
    ${SsoConnectionFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class SsoConnectionGQL extends Apollo.Query<SsoConnectionQuery, SsoConnectionQueryVariables> {
    override document = SsoConnectionDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SetSsoConnectionDocument = gql`
    mutation SetSsoConnection($input: SetSsoConnectionInput!) {
  setSsoConnection(input: $input) {
    ...SsoConnectionFields
  }
}
    ${SsoConnectionFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class SetSsoConnectionGQL extends Apollo.Mutation<SetSsoConnectionMutation, SetSsoConnectionMutationVariables> {
    override document = SetSsoConnectionDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const TestSsoConnectionDocument = gql`
    mutation TestSsoConnection($input: TestSsoConnectionInput!) {
  testSsoConnection(input: $input) {
    ok
    message
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class TestSsoConnectionGQL extends Apollo.Mutation<TestSsoConnectionMutation, TestSsoConnectionMutationVariables> {
    override document = TestSsoConnectionDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteSsoConnectionDocument = gql`
    mutation DeleteSsoConnection {
  deleteSsoConnection
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteSsoConnectionGQL extends Apollo.Mutation<DeleteSsoConnectionMutation, DeleteSsoConnectionMutationVariables> {
    override document = DeleteSsoConnectionDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SignInMethodDocument = gql`
    query SignInMethod($email: String!) {
  signInMethod(email: $email) {
    method
    ssoUrl
    ssoLabel
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class SignInMethodGQL extends Apollo.Query<SignInMethodQuery, SignInMethodQueryVariables> {
    override document = SignInMethodDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SetOrganizationDomainsDocument = gql`
    mutation SetOrganizationDomains($id: ID!, $domains: [String!]!) {
  setOrganizationDomains(id: $id, domains: $domains)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class SetOrganizationDomainsGQL extends Apollo.Mutation<SetOrganizationDomainsMutation, SetOrganizationDomainsMutationVariables> {
    override document = SetOrganizationDomainsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const TeamsDocument = gql`
    query Teams {
  teams {
    id
    name
    memberCount
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class TeamsGQL extends Apollo.Query<TeamsQuery, TeamsQueryVariables> {
    override document = TeamsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateTeamDocument = gql`
    mutation CreateTeam($input: TeamNameInput!) {
  createTeam(input: $input) {
    id
    name
    memberCount
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateTeamGQL extends Apollo.Mutation<CreateTeamMutation, CreateTeamMutationVariables> {
    override document = CreateTeamDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RenameTeamDocument = gql`
    mutation RenameTeam($id: ID!, $input: TeamNameInput!) {
  renameTeam(id: $id, input: $input) {
    id
    name
    memberCount
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RenameTeamGQL extends Apollo.Mutation<RenameTeamMutation, RenameTeamMutationVariables> {
    override document = RenameTeamDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteTeamDocument = gql`
    mutation DeleteTeam($id: ID!) {
  deleteTeam(id: $id)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteTeamGQL extends Apollo.Mutation<DeleteTeamMutation, DeleteTeamMutationVariables> {
    override document = DeleteTeamDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const TwoFactorPolicyDocument = gql`
    query TwoFactorPolicy {
  twoFactorPolicy {
    ...TwoFactorPolicyFields
  }
}
    ${TwoFactorPolicyFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class TwoFactorPolicyGQL extends Apollo.Query<TwoFactorPolicyQuery, TwoFactorPolicyQueryVariables> {
    override document = TwoFactorPolicyDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const SetTwoFactorPolicyDocument = gql`
    mutation SetTwoFactorPolicy($input: SetTwoFactorPolicyInput!) {
  setTwoFactorPolicy(input: $input) {
    ...TwoFactorPolicyFields
  }
}
    ${TwoFactorPolicyFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class SetTwoFactorPolicyGQL extends Apollo.Mutation<SetTwoFactorPolicyMutation, SetTwoFactorPolicyMutationVariables> {
    override document = SetTwoFactorPolicyDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const StartTwoFactorSetupDocument = gql`
    mutation StartTwoFactorSetup {
  startTwoFactorSetup {
    secret
    otpauthUri
    qrCodeDataUrl
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class StartTwoFactorSetupGQL extends Apollo.Mutation<StartTwoFactorSetupMutation, StartTwoFactorSetupMutationVariables> {
    override document = StartTwoFactorSetupDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CompleteTwoFactorSetupDocument = gql`
    mutation CompleteTwoFactorSetup($input: TwoFactorCodeInput!) {
  completeTwoFactorSetup(input: $input) {
    recoveryCodes
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class CompleteTwoFactorSetupGQL extends Apollo.Mutation<CompleteTwoFactorSetupMutation, CompleteTwoFactorSetupMutationVariables> {
    override document = CompleteTwoFactorSetupDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DisableTwoFactorDocument = gql`
    mutation DisableTwoFactor($input: DisableTwoFactorInput!) {
  disableTwoFactor(input: $input)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DisableTwoFactorGQL extends Apollo.Mutation<DisableTwoFactorMutation, DisableTwoFactorMutationVariables> {
    override document = DisableTwoFactorDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const ResetUserTwoFactorDocument = gql`
    mutation ResetUserTwoFactor($userId: ID!) {
  resetUserTwoFactor(userId: $userId)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class ResetUserTwoFactorGQL extends Apollo.Mutation<ResetUserTwoFactorMutation, ResetUserTwoFactorMutationVariables> {
    override document = ResetUserTwoFactorDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UsersDocument = gql`
    query Users($first: Int, $after: String, $last: Int, $before: String, $search: String, $status: UserStatus, $twoFactor: TwoFactorState, $sortBy: UserSortField!, $sortDirection: SortDirection!) {
  users(
    first: $first
    after: $after
    last: $last
    before: $before
    search: $search
    status: $status
    twoFactor: $twoFactor
    sortBy: $sortBy
    sortDirection: $sortDirection
  ) {
    edges {
      cursor
      node {
        ...UserRow
      }
    }
    pageInfo {
      startCursor
      endCursor
      hasNextPage
      hasPreviousPage
    }
    totalCount
    totalCountIsExact
  }
}
    ${UserRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UsersGQL extends Apollo.Query<UsersQuery, UsersQueryVariables> {
    override document = UsersDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RolesDocument = gql`
    query Roles {
  roles {
    id
    key
    name
    rank
    permissions
    permissionLevel
  }
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RolesGQL extends Apollo.Query<RolesQuery, RolesQueryVariables> {
    override document = RolesDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UpdateUserDocument = gql`
    mutation UpdateUser($input: UpdateUserInput!) {
  updateUser(input: $input) {
    ...UserRow
  }
}
    ${UserRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UpdateUserGQL extends Apollo.Mutation<UpdateUserMutation, UpdateUserMutationVariables> {
    override document = UpdateUserDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteUserDocument = gql`
    mutation DeleteUser($input: DeleteUserInput!) {
  deleteUser(input: $input)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteUserGQL extends Apollo.Mutation<DeleteUserMutation, DeleteUserMutationVariables> {
    override document = DeleteUserDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RevokeUserSessionsDocument = gql`
    mutation RevokeUserSessions($userId: ID!) {
  revokeUserSessions(userId: $userId)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class RevokeUserSessionsGQL extends Apollo.Mutation<RevokeUserSessionsMutation, RevokeUserSessionsMutationVariables> {
    override document = RevokeUserSessionsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeactivateUserDocument = gql`
    mutation DeactivateUser($id: ID!) {
  deactivateUser(id: $id) {
    ...UserRow
  }
}
    ${UserRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class DeactivateUserGQL extends Apollo.Mutation<DeactivateUserMutation, DeactivateUserMutationVariables> {
    override document = DeactivateUserDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const ReactivateUserDocument = gql`
    mutation ReactivateUser($id: ID!) {
  reactivateUser(id: $id) {
    ...UserRow
  }
}
    ${UserRowFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class ReactivateUserGQL extends Apollo.Mutation<ReactivateUserMutation, ReactivateUserMutationVariables> {
    override document = ReactivateUserDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const WebhookEndpointsDocument = gql`
    query WebhookEndpoints {
  webhookEndpoints {
    ...WebhookEndpointFields
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class WebhookEndpointsGQL extends Apollo.Query<WebhookEndpointsQuery, WebhookEndpointsQueryVariables> {
    override document = WebhookEndpointsDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const WebhookEventTypesDocument = gql`
    query WebhookEventTypes {
  webhookEventTypes
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class WebhookEventTypesGQL extends Apollo.Query<WebhookEventTypesQuery, WebhookEventTypesQueryVariables> {
    override document = WebhookEventTypesDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const CreateWebhookEndpointDocument = gql`
    mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint {
      ...WebhookEndpointFields
    }
    secret
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class CreateWebhookEndpointGQL extends Apollo.Mutation<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables> {
    override document = CreateWebhookEndpointDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const UpdateWebhookEndpointDocument = gql`
    mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    ...WebhookEndpointFields
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class UpdateWebhookEndpointGQL extends Apollo.Mutation<UpdateWebhookEndpointMutation, UpdateWebhookEndpointMutationVariables> {
    override document = UpdateWebhookEndpointDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RotateWebhookSecretDocument = gql`
    mutation RotateWebhookSecret($id: ID!) {
  rotateWebhookSecret(id: $id) {
    endpoint {
      ...WebhookEndpointFields
    }
    secret
  }
}
    ${WebhookEndpointFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class RotateWebhookSecretGQL extends Apollo.Mutation<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables> {
    override document = RotateWebhookSecretDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const DeleteWebhookEndpointDocument = gql`
    mutation DeleteWebhookEndpoint($id: ID!) {
  deleteWebhookEndpoint(id: $id)
}
    `;

  @Injectable({
    providedIn: 'root'
  })
  export class DeleteWebhookEndpointGQL extends Apollo.Mutation<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables> {
    override document = DeleteWebhookEndpointDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const WebhookDeliveriesDocument = gql`
    query WebhookDeliveries($endpointId: ID!, $first: Int!, $after: String, $status: WebhookDeliveryStatus) {
  webhookDeliveries(
    endpointId: $endpointId
    first: $first
    after: $after
    status: $status
  ) {
    deliveries {
      ...WebhookDeliveryFields
    }
    hasNextPage
    endCursor
  }
}
    ${WebhookDeliveryFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class WebhookDeliveriesGQL extends Apollo.Query<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables> {
    override document = WebhookDeliveriesDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }
export const RedeliverWebhookDocument = gql`
    mutation RedeliverWebhook($deliveryId: ID!) {
  redeliverWebhook(deliveryId: $deliveryId) {
    ...WebhookDeliveryFields
  }
}
    ${WebhookDeliveryFieldsFragmentDoc}`;

  @Injectable({
    providedIn: 'root'
  })
  export class RedeliverWebhookGQL extends Apollo.Mutation<RedeliverWebhookMutation, RedeliverWebhookMutationVariables> {
    override document = RedeliverWebhookDocument;
    
    constructor(apollo: Apollo.Apollo) {
      super(apollo);
    }
  }