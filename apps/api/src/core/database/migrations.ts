import { Initial1764288000000 } from './migrations/1764288000000-initial';
import { SearchAndGuards1764288000001 } from './migrations/1764288000001-search-and-guards';
import { ApiTokens1764300000000 } from './migrations/1764300000000-api-tokens';
import { TwoFactor1764310000000 } from './migrations/1764310000000-two-factor';
import { Sso1764320000000 } from './migrations/1764320000000-sso';
import { SortColumns1764330000000 } from './migrations/1764330000000-sort-columns';
import { ChangeNotifications1764340000000 } from './migrations/1764340000000-change-notifications';
import { Deactivation1764350000000 } from './migrations/1764350000000-deactivation';
import { PasswordResets1764360000000 } from './migrations/1764360000000-password-resets';
import { EmailOutbox1764370000000 } from './migrations/1764370000000-email-outbox';
import { AuditLog1764380000000 } from './migrations/1764380000000-audit-log';
import { TwoFactorPolicy1764390000000 } from './migrations/1764390000000-two-factor-policy';
import { SecretKeyCheck1764400000000 } from './migrations/1764400000000-secret-key-check';
import { PeopleAddedNotification1764410000000 } from './migrations/1764410000000-people-added-notification';
import { PasswordResetKinds1764420000000 } from './migrations/1764420000000-password-reset-kinds';
import { EmailOutboxFailedIndex1764425000000 } from './migrations/1764425000000-email-outbox-failed-index';
import { TotpSecrets1764430000000 } from './migrations/1764430000000-totp-secrets';
import { Organizations1765000000000 } from './migrations/1765000000000-organizations';
import { Operators1765000100000 } from './migrations/1765000100000-operators';
import { OrganizationsSearch1765000110000 } from './migrations/1765000110000-organizations-search';
import { OrganizationNotifications1765000300000 } from './migrations/1765000300000-organization-notifications';
import { Memberships1765000400000 } from './migrations/1765000400000-memberships';
import { AuditByOrganization1765000500000 } from './migrations/1765000500000-audit-by-organization';
import { SsoConnections1765000600000 } from './migrations/1765000600000-sso-connections';
import { RowLevelSecurity1765000700000 } from './migrations/1765000700000-row-level-security';
import { ContractOrganizationDefaults1765000800000 } from './migrations/1765000800000-contract-organization-defaults';
import { SsoIdentities1765000900000 } from './migrations/1765000900000-sso-identities';
import { CustomRoles1765001000000 } from './migrations/1765001000000-custom-roles';
import { TeamNotifications1765001100000 } from './migrations/1765001100000-team-notifications';
import { OpenidProvider1765002000000 } from './migrations/1765002000000-openid-provider';
import { Scim1765003000000 } from './migrations/1765003000000-scim';
import { MembershipCountSlots1765003100000 } from './migrations/1765003100000-membership-count-slots';
import { Webhooks1765004000000 } from './migrations/1765004000000-webhooks';
import { OrganizationScopedNotifications1765005000000 } from './migrations/1765005000000-organization-scoped-notifications';

/** In order. Listed as classes: the build joins the code into one file per entry point, where file globs find nothing. */
export const MIGRATIONS = [
  Initial1764288000000,
  SearchAndGuards1764288000001,
  ApiTokens1764300000000,
  TwoFactor1764310000000,
  Sso1764320000000,
  SortColumns1764330000000,
  ChangeNotifications1764340000000,
  Deactivation1764350000000,
  PasswordResets1764360000000,
  EmailOutbox1764370000000,
  AuditLog1764380000000,
  TwoFactorPolicy1764390000000,
  SecretKeyCheck1764400000000,
  PeopleAddedNotification1764410000000,
  PasswordResetKinds1764420000000,
  EmailOutboxFailedIndex1764425000000,
  TotpSecrets1764430000000,
  Organizations1765000000000,
  Operators1765000100000,
  OrganizationsSearch1765000110000,
  OrganizationNotifications1765000300000,
  Memberships1765000400000,
  AuditByOrganization1765000500000,
  SsoConnections1765000600000,
  RowLevelSecurity1765000700000,
  ContractOrganizationDefaults1765000800000,
  SsoIdentities1765000900000,
  CustomRoles1765001000000,
  TeamNotifications1765001100000,
  OpenidProvider1765002000000,
  Scim1765003000000,
  MembershipCountSlots1765003100000,
  Webhooks1765004000000,
  OrganizationScopedNotifications1765005000000,
];

/**
 * The list, with the first organization named: the organizations migration makes a database of one
 * company one organization, called `organizationName` (ORGANIZATION_NAME). Same migration, same name.
 */
export function migrationsNaming(organizationName: string): typeof MIGRATIONS {
  return MIGRATIONS.map((m) =>
    m === Organizations1765000000000
      ? class extends Organizations1765000000000 {
          override organizationName = organizationName;
        }
      : m,
  );
}
