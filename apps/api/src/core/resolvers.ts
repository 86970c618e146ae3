import { ApiTokensResolver } from '../api-tokens/api-tokens.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { AuthResolver } from '../auth/auth.resolver';
import { InvitationsResolver } from '../invitations/invitations.resolver';
import { RolesResolver } from '../roles/roles.resolver';
import { TeamsResolver } from '../teams/teams.resolver';
import { TwoFactorResolver } from '../two-factor/two-factor.resolver';
import { UsersResolver } from '../users/users.resolver';

/** Every resolver, for the app module and for the schema printer (cli/schema.ts). */
export const RESOLVERS = [AuthResolver, UsersResolver, TeamsResolver, RolesResolver, InvitationsResolver, AuditResolver, ApiTokensResolver, TwoFactorResolver];
