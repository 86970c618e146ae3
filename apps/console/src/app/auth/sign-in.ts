import { ChangeDetectionStrategy, Component, DestroyRef, DOCUMENT, inject, input, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatFormField, MatLabel, MatError, MatHint } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatAnchor, MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { debounceTime, distinctUntilChanged, firstValueFrom } from 'rxjs';
import { AuthConfigGQL, AuthConfigQuery, SignInGQL, SignInMethodGQL, VerifyTwoFactorGQL } from '@roster/console/data-access/generated';
import { ErrorCode } from '@roster/contracts/errors';
import { errorCode } from '../core/api';
import { MeFieldsFragment } from '@roster/console/data-access/generated';
import { Session } from '../core/session';
import { Submission } from '../shared/submission';
import { safeReturnUrl } from '../core/return-url';
import { consoleReturnPath, serverReturnUrl, ssoUrlWithReturnTo } from '../core/return-to';
import { ssoChallengeFrom, ssoReturnToFrom } from './sso-challenge';
import { FormStatus } from '../shared/form-status';

@Component({
  selector: 'ro-sign-in',
  imports: [
    ReactiveFormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatError,
    MatHint,
    MatInput,
    MatButton,
    MatAnchor,
    RouterLink,
    TranslocoPipe,
    FormStatus,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'app.name' | transloco }} — {{ 'signIn.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          @if (ssoChallenge()) {
            <p data-testid="sso-second-factor">{{ 'signIn.ssoSecondFactor' | transloco }}</p>
          } @else if (config()?.ssoUrl; as ssoUrl) {
            <a mat-flat-button class="sso" [href]="ssoHref(ssoUrl)" data-testid="sso-sign-in">
              {{ 'signIn.sso' | transloco: { label: config()?.ssoLabel || ('signIn.ssoDefault' | transloco) } }}
            </a>
            @if (config()?.passwordSignIn) {
              <p class="or" aria-hidden="true">
                <span>{{ 'signIn.or' | transloco }}</span>
              </p>
            }
          }
          @if (config()?.passwordSignIn !== false || ssoChallenge()) {
            <form class="ro-form" [formGroup]="form" (ngSubmit)="submit()">
              @if (!ssoChallenge()) {
                <mat-form-field>
                  <mat-label>{{ 'common.email' | transloco }}</mat-label>
                  <input matInput type="email" formControlName="email" autocomplete="username" required />
                  @if (form.controls.email.hasError('email')) {
                    <mat-error>{{ 'common.invalidEmail' | transloco }}</mat-error>
                  } @else {
                    <mat-error>{{ 'common.required' | transloco }}</mat-error>
                  }
                </mat-form-field>
                @if (sso(); as provider) {
                  <p class="sso-note" data-testid="sso-domain">{{ 'signIn.ssoForDomain' | transloco }}</p>
                  <a mat-flat-button class="sso" [href]="ssoHref(provider.url)" data-testid="sso-continue">
                    {{ 'signIn.continueWith' | transloco: { label: provider.label } }}
                  </a>
                } @else {
                  <mat-form-field>
                    <mat-label>{{ 'common.password' | transloco }}</mat-label>
                    <input matInput type="password" formControlName="password" autocomplete="current-password" required />
                    <mat-error>{{ 'common.required' | transloco }}</mat-error>
                  </mat-form-field>
                }
              }
              @if (challenge()) {
                <mat-form-field>
                  <mat-label>{{ 'signIn.code' | transloco }}</mat-label>
                  <input
                    matInput
                    [formControl]="code"
                    autocomplete="one-time-code"
                    autocapitalize="characters"
                    spellcheck="false"
                    required
                  />
                  <mat-hint>{{ 'signIn.codeHint' | transloco }}</mat-hint>
                </mat-form-field>
              }
              <ro-form-status [error]="error()" [busy]="busy()" />
              @if (!sso() || challenge()) {
                <button mat-flat-button type="submit" [disabled]="busy()">
                  {{ (challenge() ? 'signIn.verify' : 'signIn.submit') | transloco }}
                </button>
              }
            </form>
            @if (config()?.passwordResetByEmail && !challenge()) {
              <p class="forgot">
                <a routerLink="/forgot-password">{{ 'signIn.forgot' | transloco }}</a>
              </p>
            }
          }
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .forgot {
      margin: 12px 0 0;
    }
    .sso {
      width: 100%;
      margin: 8px 0 16px;
    }
    .sso-note {
      margin: 0 0 4px;
      color: var(--mat-sys-on-surface-variant);
    }
    .or {
      display: flex;
      align-items: center;
      gap: 12px;
      color: var(--mat-sys-on-surface-variant);
      margin: 0 0 16px;
    }
    .or::before,
    .or::after {
      content: '';
      flex: 1;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage implements OnInit {
  readonly returnUrl = input<string>();
  /** Where the platform's own application asked to send the person back (checked by the server). */
  readonly returnTo = input<string>();
  private readonly signIn = inject(SignInGQL);
  private readonly verify = inject(VerifyTwoFactorGQL);
  private readonly authConfig = inject(AuthConfigGQL);
  /** How people sign in here (SSO button, password form); null until known, and the form shows meanwhile. */
  protected readonly config = signal<AuthConfigQuery['authConfig'] | null>(null);
  /** Set when the password was right and a second factor is required. */
  protected readonly challenge = signal<string | null>(null);
  /** The challenge came from a single sign-on: only the code is asked for. */
  protected readonly ssoChallenge = signal(false);
  private readonly document = inject(DOCUMENT);
  protected readonly code = inject(NonNullableFormBuilder).control('', Validators.required);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  private readonly submission = new Submission();
  private readonly method = inject(SignInMethodGQL);
  private readonly destroyRef = inject(DestroyRef);
  /** The email's domain belongs to an organization with single sign-on: its provider, instead of the password. */
  protected readonly sso = signal<{ url: string; label: string } | null>(null);
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  /** The `returnTo` a single sign-on began with, back with its second-factor challenge. */
  private ssoReturnTo: string | null = null;

  /** A provider's link, carrying `returnTo` through the single sign-on. */
  protected ssoHref(url: string): string {
    return ssoUrlWithReturnTo(url, this.returnTo());
  }

  /** Asks how this email signs in (by its domain alone); null when it cannot be told. */
  private async methodFor(email: string): Promise<{ url: string; label: string } | null> {
    try {
      const result = await firstValueFrom(this.method.fetch({ variables: { email }, fetchPolicy: 'network-only' }));
      const m = result.data?.signInMethod;
      return m?.method === 'SSO' && m.ssoUrl ? { url: m.ssoUrl, label: m.ssoLabel || 'SSO' } : null;
    } catch {
      return null;
    }
  }

  /** Identity first: once the email is complete, its domain decides between the password and the organization's provider. */
  private watchEmail(): void {
    this.form.controls.email.valueChanges
      .pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed(this.destroyRef))
      .subscribe((email) => {
        if (this.form.controls.email.invalid) return this.setSso(null);
        void this.methodFor(email.trim()).then((sso) => {
          if (this.form.controls.email.value === email) this.setSso(sso);
        });
      });
  }

  private setSso(sso: { url: string; label: string } | null): void {
    this.sso.set(sso);
    const password = this.form.controls.password;
    if (sso) password.disable();
    else password.enable();
  }

  async ngOnInit(): Promise<void> {
    this.watchEmail();
    const hash = this.document.location.hash;
    const fromSso = ssoChallengeFrom(hash);
    if (this.document.location.hash) {
      // The challenge leaves the address bar (and the history) at once.
      this.document.defaultView?.history.replaceState(null, '', this.document.location.pathname + this.document.location.search);
    }
    if (fromSso) {
      this.challenge.set(fromSso);
      this.ssoChallenge.set(true);
      this.ssoReturnTo = ssoReturnToFrom(hash);
    }
    try {
      const result = await firstValueFrom(this.authConfig.fetch({ fetchPolicy: 'network-only' }));
      this.config.set(result.data?.authConfig ?? null);
    } catch {
      // Without the configuration, the password form stays: the API still decides.
    }
  }

  async submit(): Promise<void> {
    if (this.ssoChallenge() ? this.code.invalid : this.form.invalid) {
      this.form.markAllAsTouched();
      this.code.markAsTouched();
      return;
    }
    await this.submission.run(
      async () => {
        const challenge = this.challenge();
        if (challenge) {
          const code = this.code.value.replace(/\s/g, '');
          const result = await firstValueFrom(this.verify.mutate({ variables: { input: { challengeToken: challenge, code } } }));
          return await this.enter(result.data?.verifyTwoFactor ?? null);
        }
        // The email's domain may belong to an organization that signs its people in through its provider.
        const sso = this.sso() ?? (await this.methodFor(this.form.controls.email.value.trim()));
        if (sso) {
          this.setSso(sso);
          this.document.location.assign(this.ssoHref(sso.url));
          return;
        }
        const result = await firstValueFrom(this.signIn.mutate({ variables: { input: this.form.getRawValue() } }));
        const outcome = result.data?.signIn;
        if (outcome?.twoFactorRequired && outcome.challengeToken) {
          this.challenge.set(outcome.challengeToken);
          return;
        }
        await this.enter(outcome?.me ?? null);
      },
      (e) => {
        if (errorCode(e) === ErrorCode.TwoFactorChallengeExpired) {
          this.challenge.set(null);
          this.ssoChallenge.set(false);
        }
      },
    );
  }

  private async enter(me: MeFieldsFragment | null): Promise<void> {
    this.session.set(me);
    const returnTo = this.returnTo() || this.ssoReturnTo;
    if (returnTo) {
      const path = consoleReturnPath(returnTo);
      // Another origin: a full-page navigation through the server, which allows only RETURN_TO_ORIGINS.
      if (path === null) return this.document.location.assign(serverReturnUrl(returnTo));
      await this.router.navigateByUrl(safeReturnUrl(path));
      return;
    }
    await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }
}
