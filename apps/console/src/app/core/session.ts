import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { MeFieldsFragment, MeGQL, SignOutGQL } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { Permission } from '@roster/contracts/permissions';
import { errorCode } from './api';
import { OrganizationOption } from './organization';
import { Preferences } from './preferences';

/** `me` asked in an organization the person may not enter (the API refused the whole request). */
export const NOT_A_MEMBER = 'not-a-member' as const;

/** The signed-in person (`me`), their permissions, and their preferences applied to the page. */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly meGql = inject(MeGQL);
  private readonly signOutGql = inject(SignOutGQL);
  private readonly prefs = inject(Preferences);

  readonly me = signal<MeFieldsFragment | null>(null);
  readonly userId = computed(() => this.me()?.user.id ?? null);
  private readonly permissions = computed(() => new Set(this.me()?.permissions ?? []));
  /** The organization the console acts in, as the API answered it. */
  readonly organization = computed(() => this.me()?.organization ?? null);
  /** The person's organizations (the toolbar switcher, the no-organization page), the last used first. */
  readonly organizations = computed<readonly OrganizationOption[]>(() => this.me()?.organizations ?? []);
  /** Whether they are a platform operator (the Organizations page). */
  readonly operator = computed(() => this.me()?.operator ?? false);

  can(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** Asks the API who is signed in (null when nobody, or when the session has ended). */
  async refresh(): Promise<MeFieldsFragment | null> {
    const me = await this.load();
    return me === NOT_A_MEMBER ? null : me;
  }

  /**
   * Like `refresh`, but tells a refusal of the organization the request names (`FORBIDDEN`: the person
   * is not a member of it) from a signed-out person.
   */
  async load(): Promise<MeFieldsFragment | typeof NOT_A_MEMBER | null> {
    try {
      const result = await firstValueFrom(this.meGql.fetch({ fetchPolicy: 'network-only' }));
      if (!result.data?.me && errorCode(result.error) === ErrorCode.Forbidden) {
        this.set(null);
        return NOT_A_MEMBER;
      }
      this.set(result.data?.me ?? null);
    } catch (error) {
      this.set(null);
      if (errorCode(error) === ErrorCode.Forbidden) return NOT_A_MEMBER;
    }
    return this.me();
  }

  /** Keeps `me` and applies its language and theme. */
  set(me: MeFieldsFragment | null): void {
    const previous = this.me();
    this.me.set(me);
    if (me && (previous?.language !== me.language || previous?.theme !== me.theme || !previous)) {
      this.prefs.apply(me.language, me.theme);
    }
  }

  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.signOutGql.mutate());
    } finally {
      this.me.set(null);
    }
  }
}
