import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { MeFieldsFragment, MeGQL, SignOutGQL } from '@roster/console/data-access/generated';
import { Permission } from '@roster/contracts/permissions';
import { Preferences } from './preferences';

/** The signed-in person (`me`), their permissions, and their preferences applied to the page. */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly meGql = inject(MeGQL);
  private readonly signOutGql = inject(SignOutGQL);
  private readonly prefs = inject(Preferences);

  readonly me = signal<MeFieldsFragment | null>(null);
  readonly userId = computed(() => this.me()?.user.id ?? null);
  private readonly permissions = computed(() => new Set(this.me()?.permissions ?? []));

  can(permission: Permission): boolean {
    return this.permissions().has(permission);
  }

  /** Asks the API who is signed in (null when nobody, or when the session has ended). */
  async refresh(): Promise<MeFieldsFragment | null> {
    try {
      const result = await firstValueFrom(this.meGql.fetch({ fetchPolicy: 'network-only' }));
      this.set(result.data?.me ?? null);
    } catch {
      this.set(null);
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
