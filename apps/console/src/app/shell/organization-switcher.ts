import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { TranslocoPipe } from '@jsverse/transloco';
import { OrganizationOption, organizationUrl } from '../core/organization';

/**
 * The toolbar's list of the person's organizations: the same page in another one. Nothing is shown
 * to someone who belongs to a single organization.
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
        [attr.aria-label]="'nav.organization' | transloco: { organization: currentName() }"
      >
        <mat-icon>apartment</mat-icon>
        <span class="name">{{ currentName() }}</span>
        <mat-icon iconPositionEnd>arrow_drop_down</mat-icon>
      </button>
      <mat-menu #menu="matMenu">
        @for (option of organizations(); track option.id) {
          <a mat-menu-item [routerLink]="urlOf(option)" [attr.aria-current]="option.slug === current() ? 'true' : null">{{
            option.name
          }}</a>
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

  protected readonly currentName = computed(
    () => this.organizations().find((o) => o.slug === this.current())?.name ?? this.current() ?? '',
  );

  protected urlOf(option: OrganizationOption): string {
    return organizationUrl(option.slug, this.page());
  }
}
