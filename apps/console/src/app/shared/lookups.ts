import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { RolesGQL, RolesQuery, TeamsGQL, TeamsQuery } from '@roster/console/data-access/generated';
import { canGrantRole } from '@roster/contracts/permissions';
import { Session } from '../core/session';

/** Roles and teams, loaded once for the forms that pick them (invite, edit). */
@Injectable({ providedIn: 'root' })
export class Lookups {
  private readonly rolesGql = inject(RolesGQL);
  private readonly teamsGql = inject(TeamsGQL);
  private readonly session = inject(Session);
  readonly roles = signal<RolesQuery['roles']>([]);
  readonly teams = signal<TeamsQuery['teams']>([]);
  /** Roles the signed-in person may hand out (a Manager cannot grant Admin). */
  readonly grantableRoles = computed(() => {
    const mine = this.session.me()?.permissions ?? [];
    return this.roles().filter((r) => canGrantRole(mine, r.permissions));
  });

  async load(): Promise<void> {
    const [roles, teams] = await Promise.all([
      firstValueFrom(this.rolesGql.fetch({ fetchPolicy: 'network-only' })),
      firstValueFrom(this.teamsGql.fetch({ fetchPolicy: 'network-only' })),
    ]);
    this.roles.set(roles.data?.roles ?? []);
    this.teams.set(teams.data?.teams ?? []);
  }
}
