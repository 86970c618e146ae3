import { inject, Injectable, Pipe, PipeTransform } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { TranslocoService } from '@jsverse/transloco';
import { RoleKey } from '@roster/contracts/permissions';

/** A role as the API shows it: its key (built-in roles) and the name it is stored under. */
export interface NamedRole {
  key?: string | null;
  name: string;
}

const BUILT_IN: ReadonlySet<string> = new Set(Object.values(RoleKey));

/** The translation key of a built-in role's name (`roles.MEMBER`), or null for any other role. */
export function builtInRoleKey(key: string | null | undefined): string | null {
  return key && BUILT_IN.has(key) ? `roles.${key}` : null;
}

/**
 * Role names as the viewer reads them: built-in roles (Admin, Manager, Member, Viewer) in the console's
 * language, by key; any other role by the name it is stored under.
 */
@Injectable({ providedIn: 'root' })
export class RoleNames {
  private readonly transloco = inject(TranslocoService);
  /** The active language's translations, loaded (follows language changes). */
  private readonly translation = toSignal(this.transloco.selectTranslation(), { initialValue: {} as Record<string, unknown> });

  name(role: NamedRole): string {
    const key = builtInRoleKey(role.key);
    const translated = key ? this.translation()[key] : undefined;
    return typeof translated === 'string' && translated ? translated : role.name;
  }
}

/** `{{ user.role | roleName }}`: see RoleNames. */
@Pipe({ name: 'roleName', pure: false })
export class RoleNamePipe implements PipeTransform {
  private readonly names = inject(RoleNames);

  transform(role: NamedRole | null | undefined): string {
    return role ? this.names.name(role) : '';
  }
}
