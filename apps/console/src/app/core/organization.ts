import { inject, Injectable, signal } from '@angular/core';
import type { OrganizationStatus } from '@roster/console/data-access/generated';
import {
  ActivatedRouteSnapshot,
  BaseRouteReuseStrategy,
  GuardsCheckStart,
  NavigationCancel,
  NavigationError,
  Router,
} from '@angular/router';

/** The route parameter naming the organization in console URLs (`/o/:org/…`). */
export const ORGANIZATION_PARAM = 'org';

/** Pages that used to live at the root and now live under `/o/<slug>/`. */
export const ORGANIZATION_PAGES = ['users', 'teams', 'audit', 'api-tokens', 'security'] as const;

/** An organization the person may switch to (the toolbar switcher lists them). */
export interface OrganizationOption {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** ACTIVE, SUSPENDED (refused until reactivated) or DELETING; ACTIVE when not said. */
  readonly status?: OrganizationStatus;
}

/** Whether the person may enter it (suspended and deleted organizations refuse every request). */
export const isOpen = (organization: OrganizationOption): boolean => (organization.status ?? 'ACTIVE') === 'ACTIVE';

/** The organization slug a router state names (`/o/<slug>/…`), or null outside an organization. */
export function organizationOf(route: ActivatedRouteSnapshot | null): string | null {
  for (let r = route; r; r = r.firstChild) {
    const slug = r.paramMap.get(ORGANIZATION_PARAM);
    if (slug) return slug;
  }
  return null;
}

/** `/o/<slug>` followed by the rest of an old root URL (`/users?x=1` → `/o/acme/users?x=1`). */
export function organizationUrl(slug: string, rest = '/'): string {
  const tail = rest === '/' || rest === '' ? '' : rest.startsWith('/') ? rest : `/${rest}`;
  return `/o/${encodeURIComponent(slug)}${tail}`;
}

/**
 * The organization the console acts in: the slug of the URL being navigated to (set before its
 * guards run, so their requests already name it), or null outside `/o/<slug>/…`.
 */
@Injectable({ providedIn: 'root' })
export class OrganizationContext {
  private readonly router = inject(Router);
  private readonly current = signal<string | null>(null);
  readonly slug = this.current.asReadonly();
  private readonly switched: (() => void)[] = [];
  /** The last organization acted in (kept across pages outside any organization). */
  private last: string | null = null;

  constructor() {
    this.router.events.subscribe((event) => {
      if (event instanceof GuardsCheckStart) this.set(organizationOf(event.state.root));
      // A navigation that did not happen leaves the page (and its organization) as it was.
      else if (event instanceof NavigationCancel || event instanceof NavigationError) {
        this.set(organizationOf(this.router.routerState.snapshot.root));
      }
    });
  }

  /** Runs `listener` each time the console moves from one organization to another. */
  onSwitch(listener: () => void): void {
    this.switched.push(listener);
  }

  private set(slug: string | null): void {
    this.current.set(slug);
    if (slug === null || slug === this.last) return;
    const previous = this.last;
    this.last = slug;
    // Another organization: the same person may hold another role there, so nothing cached is kept.
    if (previous !== null) for (const listener of this.switched) listener();
  }
}

/** Pages of one organization are never reused for another (they load their data anew). */
export class OrganizationReuseStrategy extends BaseRouteReuseStrategy {
  override shouldReuseRoute(future: ActivatedRouteSnapshot, current: ActivatedRouteSnapshot): boolean {
    return super.shouldReuseRoute(future, current) && future.paramMap.get(ORGANIZATION_PARAM) === current.paramMap.get(ORGANIZATION_PARAM);
  }
}
