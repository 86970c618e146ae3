import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { MatToolbar } from '@angular/material/toolbar';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { Permission } from '@roster/contracts/permissions';
import { OrganizationContext, organizationUrl } from '../core/organization';
import { ORGANIZATIONS_PAGE } from '../core/auth.guard';
import { OPEN_PROFILE } from '../core/profile';
import { Session } from '../core/session';
import { OrganizationSwitcher } from './organization-switcher';

interface NavLink {
  readonly path: string;
  readonly label: string;
  readonly permission: Permission;
}

const LINKS: readonly NavLink[] = [
  { path: '/users', label: 'nav.users', permission: Permission.UsersRead },
  { path: '/teams', label: 'nav.teams', permission: Permission.TeamsRead },
  { path: '/roles', label: 'nav.roles', permission: Permission.RolesRead },
  { path: '/audit', label: 'nav.audit', permission: Permission.AuditRead },
  { path: '/api-tokens', label: 'nav.apiTokens', permission: Permission.TokensManageAll },
  { path: '/security', label: 'nav.security', permission: Permission.UsersSecurity },
  { path: '/sso', label: 'nav.sso', permission: Permission.SsoManage },
  { path: '/oidc-clients', label: 'nav.oidcClients', permission: Permission.OidcClientsManage },
  { path: '/webhooks', label: 'nav.webhooks', permission: Permission.WebhooksManage },
];

@Component({
  selector: 'ro-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbar,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatTooltip,
    TranslocoPipe,
    OrganizationSwitcher,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly openProfileDialog = inject(OPEN_PROFILE);

  /** The organization of the URL (`/o/<slug>/…`); every link stays in it. */
  protected readonly organization = inject(OrganizationContext).slug;

  private readonly slug = computed(() => this.organization() ?? this.session.organization()?.slug ?? '');

  /**
   * The pages this user may open, in the order of the navigation: those of this organization, then,
   * for platform operators, the list of every organization (which belongs to none).
   */
  protected readonly links = computed(() => {
    const slug = this.slug();
    const inOrganization = slug
      ? LINKS.filter((link) => this.session.can(link.permission)).map((link) => ({ ...link, path: organizationUrl(slug, link.path) }))
      : [];
    return this.session.operator() ? [...inOrganization, { path: ORGANIZATIONS_PAGE, label: 'nav.organizations' }] : inOrganization;
  });

  /**
   * The links fold into one menu button when they do not fit beside the brand, the switcher and the account
   * buttons: measured (their width depends on the language, the pages the person may open, the switcher),
   * not guessed from the window's width. Before the first measure, narrow windows start folded.
   */
  protected readonly folded = signal(typeof window !== 'undefined' && window.innerWidth < 1200);
  private readonly bar = viewChild.required('bar', { read: ElementRef });
  private readonly nav = viewChild.required<ElementRef<HTMLElement>>('nav');
  private readonly linksBox = viewChild.required<ElementRef<HTMLElement>>('linkRow');
  private readonly spacer = viewChild.required<ElementRef<HTMLElement>>('spacer');

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      if (typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(() => this.measure());
      const bar = this.bar().nativeElement as HTMLElement;
      observer.observe(bar);
      observer.observe(this.linksBox().nativeElement);
      // The switcher, the avatar and the sign-out button: the room they take changes what is left.
      for (const child of Array.from(bar.children)) observer.observe(child);
      destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  /**
   * Shown, the links fold as soon as the toolbar overflows. Folded, they come back when their natural width
   * fits the room between the brand and what follows the spacer: the menu button's width plus the spacer's.
   */
  private measure(): void {
    const bar = this.bar().nativeElement as HTMLElement;
    if (!this.folded()) {
      if (bar.scrollWidth > bar.clientWidth + 0.5) this.fold(bar, true);
      return;
    }
    const room = this.nav().nativeElement.getBoundingClientRect().width + this.spacer().nativeElement.getBoundingClientRect().width;
    if (this.linksBox().nativeElement.scrollWidth <= room + 0.5) this.fold(bar, false);
  }

  /** The class at once (before this frame is painted: no frame shows the links overflowing), the signal for the rest. */
  private fold(bar: HTMLElement, folded: boolean): void {
    bar.classList.toggle('folded', folded);
    this.folded.set(folded);
  }

  /** The organization's home page (the operators' list for an operator who belongs to none). */
  protected readonly home = computed(() => {
    const slug = this.slug();
    return slug ? organizationUrl(slug, '/users') : this.session.operator() ? ORGANIZATIONS_PAGE : '/';
  });

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );

  /** The page being shown, named on the menu button that replaces the links on narrow screens. */
  protected readonly current = computed(() => {
    const path = this.url().split(/[?#]/)[0];
    return this.links().find((link) => path === link.path || path.startsWith(`${link.path}/`));
  });

  /** The page shown, without its organization (`/users`): the switcher opens it in another one. */
  protected readonly page = computed(() => {
    const current = this.current();
    return current?.path.startsWith('/o/') ? current.path.slice(current.path.indexOf('/', 3)) : '/users';
  });

  protected readonly initials = computed(() => {
    const user = this.session.me()?.user;
    if (!user) return '?';
    const letters = `${user.firstName.charAt(0)}${user.lastName.charAt(0)}`.toUpperCase();
    return letters || user.email.charAt(0).toUpperCase();
  });

  async openProfile(): Promise<void> {
    await this.openProfileDialog();
  }

  async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigate(['/sign-in']);
  }
}
