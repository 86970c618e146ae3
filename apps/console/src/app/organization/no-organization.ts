import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatAnchor, MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { ORGANIZATIONS_PAGE } from '../core/auth.guard';
import { isOpen } from '../core/organization';
import { Session } from '../core/session';
import { OrganizationList } from './organization-list';

/**
 * Shown to a signed-in person who belongs to no active organization (theirs is suspended, or they
 * belong to none): what happened, their organizations with their statuses, sign-out; operators also
 * reach the Organizations page from here.
 */
@Component({
  selector: 'ro-no-organization',
  imports: [
    RouterLink,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatAnchor,
    MatButton,
    TranslocoPipe,
    OrganizationList,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined" data-testid="no-organization">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'noOrganization.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (organizations().length) {
            <p>{{ (open() ? 'noOrganization.someOpen' : 'noOrganization.allClosed') | transloco }}</p>
            <ro-organization-list [organizations]="organizations()" />
            <p class="ro-muted help">{{ 'noOrganization.help' | transloco }}</p>
          } @else {
            <p>{{ 'noOrganization.none' | transloco }}</p>
            <p class="ro-muted help">{{ 'noOrganization.noneHelp' | transloco }}</p>
          }
          @if (session.operator()) {
            <p class="help">{{ 'noOrganization.operator' | transloco }}</p>
          }
        </mat-card-content>
        <mat-card-actions align="end">
          <button mat-button type="button" (click)="signOut()">{{ 'nav.signOut' | transloco }}</button>
          @if (session.operator()) {
            <a mat-flat-button data-testid="organizations-page" [routerLink]="organizationsPage">{{ 'nav.organizations' | transloco }}</a>
          }
        </mat-card-actions>
      </mat-card>
    </main>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    .help {
      margin-top: 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NoOrganizationPage {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly organizationsPage = ORGANIZATIONS_PAGE;
  protected readonly organizations = this.session.organizations;
  /** One of them works again (reactivated since): its link opens it. */
  protected readonly open = computed(() => this.organizations().some(isOpen));

  async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigate(['/sign-in']);
  }
}
