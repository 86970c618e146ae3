import { ChangeDetectionStrategy, Component, inject, input, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatButton } from '@angular/material/button';
import { MatProgressBar } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AcceptInvitationGQL, InvitationPreviewGQL } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { errorKey } from '../core/api';
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
            ><h1>{{ 'register.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (loading()) {
            <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
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
      this.session.set(result.data?.acceptInvitation ?? null);
      await this.router.navigate(['/users'], { replaceUrl: true });
    });
  }
}
