import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatIcon } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { isOpen, OrganizationOption, organizationUrl } from '../core/organization';

/**
 * The person's organizations, each with its status: those they may enter are links to their users
 * page; suspended ones (and ones being deleted) say so.
 */
@Component({
  selector: 'ro-organization-list',
  imports: [RouterLink, MatIcon, TranslocoPipe],
  template: `
    <ul class="list" data-testid="my-organizations">
      @for (o of organizations(); track o.id) {
        <li [attr.data-slug]="o.slug">
          <mat-icon aria-hidden="true">apartment</mat-icon>
          @if (isOpen(o)) {
            <a class="name" [routerLink]="urlOf(o)">{{ o.name }}</a>
          } @else {
            <span class="name">{{ o.name }}</span>
          }
          <span class="status" [class.closed]="!isOpen(o)">{{ 'organizations.status.' + (o.status ?? 'ACTIVE') | transloco }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    .list {
      list-style: none;
      margin: 8px 0 0;
      padding: 0;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
    }
    li {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 10px 16px;
      min-block-size: 28px;
    }
    li + li {
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    mat-icon {
      flex: none;
      color: var(--mat-sys-on-surface-variant);
    }
    .name {
      flex: 1;
      min-inline-size: 0;
      overflow-wrap: anywhere;
    }
    a.name {
      color: var(--mat-sys-primary);
    }
    .status {
      flex: none;
      padding: 2px 8px;
      border-radius: 8px;
      font: var(--mat-sys-label-medium);
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .status.closed {
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrganizationList {
  readonly organizations = input.required<readonly OrganizationOption[]>();
  protected readonly isOpen = isOpen;

  protected urlOf(organization: OrganizationOption): string {
    return organizationUrl(organization.slug, '/users');
  }
}
