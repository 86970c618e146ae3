import { ApiTokenEntity } from './api-tokens/api-token.entity';
import { OrganizationEntity } from './organizations/organization.entity';
import { AuditEventEntity } from './audit/audit-event.entity';
import { SessionEntity } from './sessions/session.entity';
import { InvitationEntity } from './invitations/invitation.entity';
import { SetupTokenEntity } from './invitations/setup-token.entity';
import { RoleEntity } from './roles/role.entity';
import { TeamEntity } from './teams/team.entity';
import { UserTeamEntity } from './teams/user-team.entity';
import { OidcStateEntity } from './sso/oidc-state.entity';
import { OrganizationDomainEntity, SsoConnectionEntity } from './sso/sso-connection.entity';
import { SsoIdentityEntity } from './sso/sso-identity.entity';
import { MfaChallengeEntity } from './two-factor/mfa-challenge.entity';
import { RecoveryCodeEntity } from './two-factor/recovery-code.entity';
import { TotpSecretEntity } from './two-factor/totp-secret.entity';
import { UserEntity } from './users/user.entity';
import { MembershipEntity } from './users/membership.entity';
import { PasswordResetEntity } from './password-reset/password-reset.entity';
import { EmailOutboxEntity } from './email/email-outbox.entity';
import { TwoFactorPolicyEntity } from './two-factor/two-factor-policy.entity';
import { OidcClientEntity } from './oidc/oidc-client.entity';
import { OidcPayloadEntity } from './oidc/oidc-payload.entity';
import { OidcSigningKeyEntity } from './oidc/oidc-signing-key.entity';
import { SecretKeyCheckEntity } from './core/security/secret-key-check';
import { WebhookDeliveryEntity } from './webhooks/webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhooks/webhook-endpoint.entity';

/** Listed as classes: the build joins the code into one file per entry point, where file globs find nothing. */
export const ENTITIES = [
  OrganizationEntity,
  RoleEntity,
  UserEntity,
  MembershipEntity,
  TeamEntity,
  UserTeamEntity,
  InvitationEntity,
  SessionEntity,
  AuditEventEntity,
  SetupTokenEntity,
  ApiTokenEntity,
  RecoveryCodeEntity,
  MfaChallengeEntity,
  OidcStateEntity,
  SsoConnectionEntity,
  OrganizationDomainEntity,
  SsoIdentityEntity,
  PasswordResetEntity,
  EmailOutboxEntity,
  TwoFactorPolicyEntity,
  SecretKeyCheckEntity,
  TotpSecretEntity,
  OidcClientEntity,
  OidcPayloadEntity,
  OidcSigningKeyEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];
