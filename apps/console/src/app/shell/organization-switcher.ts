import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { MyOrganizationsGQL } from '@roster/console/data-access/generated';
import { isOpen, OrganizationOption, organizationUrl } from '../core/organization';

/** Beyond this many organizations the switcher's menu opens with a search box. */
export const SWITCHER_SEARCH_FROM = 11;
/**
 * How many of the person's organizations `me` brings (the API's default). A list that long may be cut:
 * the search then asks the API, which searches all of them.
 */
export const ME_ORGANIZATIONS = 100;
/** How long typing pauses before the API is asked. */
const SEARCH_PAUSE_MS = 250;

/** The organizations whose name or slug holds `search` (any case, accents ignored). */
export function matching(organizations: readonly OrganizationOption[], search: string): readonly OrganizationOption[] {
  const fold = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  const wanted = fold(search.trim());
  if (!wanted) return organizations;
  return organizations.filter((o) => fold(o.name).includes(wanted) || o.slug.includes(wanted));
}

/**
 * The toolbar's list of the person's organizations: the same page in another one (the console then
 * forgets what it had read: the same person may hold another role there). Nothing is shown to someone
 * who belongs to a single organization; a search box tops a long list.
 */
@Component({
  selector: 'ro-organization-switcher',
  imports: [RouterLink, MatButton, MatIcon, MatMenu, MatMenuItem, MatMenuTrigger, TranslocoPipe],
  template: `
    @if (organizations().length > 1) {
      <button
        mat-button
        type="button"
        class="switcher"
        data-testid="organization-switcher"
        [matMenuTriggerFor]="menu"
        (menuOpened)="opened()"
        (menuClosed)="typed('')"
        [attr.aria-label]="'nav.organization' | transloco: { organization: currentName() }"
      >
        <mat-icon>apartment</mat-icon>
        <span class="name">{{ currentName() }}</span>
        <mat-icon iconPositionEnd>arrow_drop_down</mat-icon>
      </button>
      <mat-menu #menu="matMenu" class="ro-organization-menu">
        @if (searchable()) {
          <div class="search" tabindex="-1" (click)="$event.stopPropagation()" (keydown)="keep($event)">
            <mat-icon aria-hidden="true">search</mat-icon>
            <input
              #box
              type="search"
              data-testid="organization-search"
              [attr.aria-label]="'nav.organizationSearch' | transloco"
              [placeholder]="'nav.organizationSearch' | transloco"
              [value]="search()"
              (input)="typed(box.value)"
            />
          </div>
        }
        @for (option of shown(); track option.id) {
          @if (isOpen(option)) {
            <a mat-menu-item [routerLink]="urlOf(option)" [attr.aria-current]="option.slug === current() ? 'true' : null">
              <span class="item">
                <span class="item-name">{{ option.name }}</span>
                @if (option.slug === current()) {
                  <mat-icon class="check" aria-hidden="true">check</mat-icon>
                }
              </span>
            </a>
          } @else {
            <button mat-menu-item type="button" disabled>
              <span class="item">
                <span class="item-name">{{ option.name }}</span>
                <span class="status">{{ 'organizations.status.' + option.status | transloco }}</span>
              </span>
            </button>
          }
        } @empty {
          <p class="none" role="status">{{ 'nav.organizationNone' | transloco }}</p>
        }
      </mat-menu>
    }
  `,
  styles: `
    .name {
      max-inline-size: 12rem;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    // A phone: the toolbar has no room for the name (the button's label still says it).
    @media (max-width: 600px) {
      .name {
        display: none;
      }
      .switcher {
        min-inline-size: 0;
        padding-inline: 8px;
      }
    }
    .search {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0 8px 4px;
      padding: 0 8px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 4px;
      mat-icon {
        color: var(--mat-sys-on-surface-variant);
      }
      input {
        flex: 1;
        min-inline-size: 0;
        block-size: 40px;
        border: none;
        outline: none;
        background: transparent;
        color: var(--mat-sys-on-surface);
        font: var(--mat-sys-body-large);
      }
      &:focus-within {
        outline: 2px solid var(--mat-sys-primary);
        outline-offset: -1px;
      }
    }
    .item {
      display: flex;
      align-items: center;
      gap: 12px;
      justify-content: space-between;
      inline-size: 100%;
    }
    .item-name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .check {
      margin: 0;
    }
    .status {
      font: var(--mat-sys-label-small);
    }
    .none {
      margin: 8px 16px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationSwitcher {
  /** The person's organizations. */
  readonly organizations = input.required<readonly OrganizationOption[]>();
  /** The slug of the organization shown. */
  readonly current = input.required<string | null>();
  /** The page shown (`/users`, `/teams`…), opened in the organization chosen. */
  readonly page = input<string>('/users');

  protected readonly isOpen = isOpen;
  protected readonly search = signal('');
  private readonly box = viewChild<ElementRef<HTMLInputElement>>('box');
  protected readonly searchable = computed(() => this.organizations().length >= SWITCHER_SEARCH_FROM);
  /** What the API found for the search, when the list `me` brought may be cut (null: search that list). */
  private readonly found = signal<readonly OrganizationOption[] | null>(null);
  protected readonly shown = computed(() => this.found() ?? matching(this.organizations(), this.search()));
  private readonly injector = inject(Injector);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected readonly currentName = computed(
    () => this.organizations().find((o) => o.slug === this.current())?.name ?? this.current() ?? '',
  );

  protected urlOf(option: OrganizationOption): string {
    return organizationUrl(option.slug, this.page());
  }

  /** The search typed; past the organizations `me` brought, the API searches them all. */
  protected typed(text: string): void {
    this.search.set(text);
    clearTimeout(this.timer);
    const wanted = text.trim();
    if (this.organizations().length < ME_ORGANIZATIONS || !wanted) {
      this.found.set(null);
      return;
    }
    const id = ++this.asked;
    this.timer = setTimeout(async () => {
      try {
        const gql = this.injector.get(MyOrganizationsGQL);
        const result = await firstValueFrom(gql.fetch({ variables: { search: wanted, first: 50 }, fetchPolicy: 'network-only' }));
        if (id === this.asked) this.found.set(result.data?.me?.organizations ?? []);
      } catch {
        // The list `me` brought, searched here, is still better than nothing.
        if (id === this.asked) this.found.set(null);
      }
    }, SEARCH_PAUSE_MS);
  }

  /** A long list: typing goes to the search box at once. */
  protected opened(): void {
    const box = this.box();
    if (box) setTimeout(() => box.nativeElement.focus());
  }

  /** Keys typed in the search box stay there (the menu would move between items); arrows and Escape still work. */
  protected keep(event: KeyboardEvent): void {
    if (!['ArrowDown', 'ArrowUp', 'Escape', 'Tab'].includes(event.key)) event.stopPropagation();
  }
}
