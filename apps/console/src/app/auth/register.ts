import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AcceptInvitationGQL, AcceptInvitationMutation, InvitationPreviewGQL } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { errorKey } from '../core/api';
import { organizationUrl } from '../core/organization';
import { Session } from '../core/session';
import { Submission } from '../shared/submission';
import { passwordPolicy, passwordsMatch } from '../shared/validators';
import { RelativeTimePipe } from '../shared/time';
import { AccountFields } from './account-form';
import { FormStatus } from '../shared/form-status';

@Component({
  selector: 'ro-register',
  imports: [
    ReactiveFormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatButton,
    MatProgressBar,
    TranslocoPipe,
    RelativeTimePipe,
    AccountFields,
    FormStatus,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ (existingAccount() ? 'register.joinTitle' : 'register.title') | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (loading()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
          } @else if (email() && existingAccount()) {
            <p data-testid="invited-email">{{ 'register.invitedAs' | transloco: { email: email() } }}</p>
            <p class="ro-muted">{{ 'register.expires' | transloco: { when: (expiresAt() | relativeTime) } }}</p>
            @if (!signedInAs()) {
              <p data-testid="sign-in-to-accept">{{ 'register.signInToAccept' | transloco }}</p>
              <div class="actions">
                <button mat-flat-button type="button" (click)="signIn()" data-testid="sign-in-to-accept-button">
                  {{ 'register.signIn' | transloco }}
                </button>
              </div>
            } @else if (invitee()) {
              <p>{{ 'register.signedInAs' | transloco: { email: signedInAs() } }}</p>
              <ro-form-status [error]="error()" [busy]="busy()" />
              <div class="actions">
                <button mat-flat-button type="button" (click)="join()" [disabled]="busy()" data-testid="accept-invitation">
                  {{ 'register.accept' | transloco }}
                </button>
              </div>
            } @else {
              <p data-testid="other-account">{{ 'register.otherAccount' | transloco: { current: signedInAs(), email: email() } }}</p>
              <ro-form-status [error]="error()" [busy]="busy()" />
              <div class="actions">
                <button mat-flat-button type="button" (click)="switchAccount()" [disabled]="busy()">
                  {{ 'register.switchAccount' | transloco: { email: email() } }}
                </button>
              </div>
            }
          } @else if (email()) {
            <p data-testid="invited-email">{{ 'register.invitedAs' | transloco: { email: email() } }}</p>
            <p class="ro-muted">{{ 'register.expires' | transloco: { when: (expiresAt() | relativeTime) } }}</p>
            <form class="ro-form" [formGroup]="form" (ngSubmit)="submit()">
              <ro-account-fields [form]="form" />
              <ro-form-status [error]="error()" [busy]="busy()" />
              <button mat-flat-button type="submit" [disabled]="busy()">{{ 'register.submit' | transloco }}</button>
            </form>
          } @else {
            <ro-form-status [error]="error() ?? 'errors.INVITATION_INVALID'" />
          }
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    /* As on the other organization pages: a long title (French) wraps without its lines overlapping. */
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      margin-top: 8px;
    }
    p {
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegisterPage implements OnInit {
  readonly token = input<string>();
  private readonly preview = inject(InvitationPreviewGQL);
  private readonly accept = inject(AcceptInvitationGQL);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly loading = signal(true);
  protected readonly email = signal<string | null>(null);
  protected readonly expiresAt = signal('');
  /** The invited email has an account: its owner signs in and accepts, rather than registering. */
  protected readonly existingAccount = signal(false);
  /** Who is signed in in this browser (for an existing account's invitation), or null. */
  protected readonly signedInAs = computed(() => this.session.me()?.user.email ?? null);
  protected readonly invitee = computed(() => this.signedInAs()?.toLowerCase() === this.email()?.toLowerCase());
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      firstName: ['', Validators.required],
      lastName: ['', Validators.required],
      password: ['', [Validators.required, passwordPolicy(() => this.email())]],
      passwordConfirmation: ['', Validators.required],
    },
    { validators: passwordsMatch('password', 'passwordConfirmation') },
  );

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.error.set(`errors.${ErrorCode.InvitationInvalid}`);
      this.loading.set(false);
      return;
    }
    try {
      const result = await firstValueFrom(this.preview.fetch({ variables: { token } }));
      const invitation = result.data?.invitation;
      if (invitation) {
        this.email.set(invitation.email);
        this.expiresAt.set(invitation.expiresAt);
        this.existingAccount.set(invitation.existingAccount);
        // Whether its owner is signed in here already (back from signing in, say).
        if (invitation.existingAccount) await this.session.refresh();
      }
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    await this.submission.run(async () => {
      const input = { ...this.form.getRawValue(), token: this.token() ?? '' };
      const result = await firstValueFrom(this.accept.mutate({ variables: { input } }));
      await this.enter(result.data?.acceptInvitation ?? null);
    });
  }

  /** To the sign-in page, and back here once signed in (the token kept in the return URL). */
  protected async signIn(): Promise<void> {
    await this.router.navigate(['/sign-in'], { queryParams: { returnUrl: this.router.url } });
  }

  /** Signed in as someone else: out of that account, then in as the invited one. */
  protected async switchAccount(): Promise<void> {
    await this.submission.run(async () => {
      await this.session.signOut();
      await this.signIn();
    });
  }

  /** The invitee, signed in, joins the organization and lands on its users page. */
  protected async join(): Promise<void> {
    await this.submission.run(async () => {
      const result = await firstValueFrom(this.accept.mutate({ variables: { input: { token: this.token() ?? '' } } }));
      await this.enter(result.data?.acceptInvitation ?? null);
    });
  }

  private async enter(me: AcceptInvitationMutation['acceptInvitation'] | null): Promise<void> {
    this.session.set(me);
    const slug = me?.organization?.slug;
    await this.router.navigateByUrl(slug ? organizationUrl(slug, '/users') : '/', { replaceUrl: true });
  }
}
