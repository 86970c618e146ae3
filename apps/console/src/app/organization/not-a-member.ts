import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatAnchor, MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { NO_ORGANIZATION_PAGE } from '../core/auth.guard';
import { organizationUrl } from '../core/organization';
import { NOT_A_MEMBER, Session } from '../core/session';
import { OrganizationList } from './organization-list';

/**
 * Shown, the URL kept, for an organization the person may not enter (unknown, foreign or suspended
 * alike: the API does not say which). It offers the person's own organization, asked without naming one.
 */
@Component({
  selector: 'ro-not-a-member',
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
      <mat-card appearance="outlined" data-testid="not-a-member">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'notAMember.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (organization()) {
            <p>{{ 'notAMember.named' | transloco: { organization: organization() } }}</p>
          }
          <p class="ro-muted">{{ 'notAMember.help' | transloco }}</p>
          @if (organizations().length > 1 || (!home() && organizations().length)) {
            <p>{{ 'notAMember.yours' | transloco }}</p>
            <ro-organization-list [organizations]="organizations()" />
          }
        </mat-card-content>
        <mat-card-actions align="end">
          @if (loaded()) {
            @if (home(); as home) {
              <button mat-button type="button" (click)="signOut()">{{ 'nav.signOut' | transloco }}</button>
              <a mat-flat-button data-testid="own-organization" [routerLink]="home.url">{{
                'notAMember.goTo' | transloco: { organization: home.name }
              }}</a>
            } @else if (signedIn()) {
              <!-- Signed in, but no organization to open (theirs are suspended): say so, not "sign in". -->
              <button mat-button type="button" (click)="signOut()">{{ 'nav.signOut' | transloco }}</button>
              <a mat-flat-button [routerLink]="noOrganizationPage">{{ 'notAMember.more' | transloco }}</a>
            } @else {
              <a mat-flat-button routerLink="/sign-in">{{ 'notAMember.signIn' | transloco }}</a>
            }
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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotAMemberPage implements OnInit {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  /** The organization the URL named (router input binding). */
  readonly organization = input<string>();
  protected readonly loaded = signal(false);
  protected readonly signedIn = computed(() => this.session.me() !== null);
  protected readonly noOrganizationPage = NO_ORGANIZATION_PAGE;
  /** All of the person's organizations, to open another one. */
  protected readonly organizations = this.session.organizations;
  /** The person's own organization (the API's choice when the request names none). */
  protected readonly home = computed(() => {
    const own = this.session.organization();
    return own ? { name: own.name, url: organizationUrl(own.slug, '/users') } : null;
  });

  async ngOnInit(): Promise<void> {
    const me = await this.session.load();
    if (me === NOT_A_MEMBER) this.session.set(null);
    this.loaded.set(true);
  }

  async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigate(['/sign-in']);
  }
}
