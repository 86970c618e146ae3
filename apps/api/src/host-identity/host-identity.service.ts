import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import type { Principal } from '../core/access/principal';
import { PreparedStatements } from '../core/fast-path/prepared';
import { returnToPolicy, type ReturnToPolicy } from '../core/http/return-to';

/** The answer of GET /auth/whoami, exactly. */
export interface WhoAmI {
  user: { id: string; email: string; firstName: string; lastName: string };
  organization: { id: string; slug: string; name: string };
  role: { key: string; name: string };
  permissions: string[];
  teams: { id: string; name: string }[];
}

/**
 * Who a host application's caller is. The credential, the organization, the role and the permissions
 * come from the principal (cached across requests); the names and the teams, which no change
 * announcement covers, from one prepared statement on primary keys.
 */
@Injectable()
export class HostIdentityService {
  constructor(
    private readonly prepared: PreparedStatements,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Where `returnTo` may lead: Roster itself and RETURN_TO_ORIGINS. */
  get returnTo(): ReturnToPolicy {
    return returnToPolicy(this.config);
  }

  /** For a principal acting in an organization with a role (the caller checks). */
  async whoami(
    principal: Principal & { organization: NonNullable<Principal['organization']>; role: NonNullable<Principal['role']> },
  ): Promise<WhoAmI> {
    const rows = await this.prepared.query<{ first_name: string; last_name: string; teams: { id: string; name: string }[] }>(
      `SELECT u.first_name, u.last_name,
              coalesce((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY lower(t.name), t.id)
                          FROM user_teams ut JOIN teams t ON t.organization_id = ut.organization_id AND t.id = ut.team_id
                         WHERE ut.organization_id = $2 AND ut.user_id = u.id), '[]'::json) AS teams
         FROM users u WHERE u.id = $1`,
      [principal.userId, principal.organization.id],
    );
    const row = rows[0];
    const { id, slug, name } = principal.organization;
    return {
      user: { id: principal.userId, email: principal.email, firstName: row?.first_name ?? '', lastName: row?.last_name ?? '' },
      organization: { id, slug, name },
      role: { key: principal.role.key, name: principal.role.name },
      permissions: [...principal.permissions],
      teams: row?.teams ?? [],
    };
  }
}
