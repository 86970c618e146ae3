import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatAnchor } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { ErrorCode } from '@roster/contracts/errors';

/** Codes the API's single sign-on callback sends people here with (`/sso-error?code=`). */
export const SSO_ERROR_CODES: readonly ErrorCode[] = [
  ErrorCode.InvitationInvalid,
  ErrorCode.InvitationExpired,
  ErrorCode.SsoFailed,
  ErrorCode.SsoDenied,
  ErrorCode.SsoEmailNotVerified,
  ErrorCode.SsoEmailMismatch,
  ErrorCode.SsoNotInvited,
  ErrorCode.SsoAccountConflict,
  ErrorCode.SsoNotConfigured,
  ErrorCode.SsoLinkRequired,
  ErrorCode.SsoUnavailable,
  ErrorCode.Unauthenticated,
  ErrorCode.DatabaseUnavailable,
  ErrorCode.ServiceBusy,
];

/** The translation key for a code from the URL; anything unknown reads as a generic SSO failure. */
export function ssoErrorKey(code: string | undefined | null): string {
  const known = SSO_ERROR_CODES.find((c) => c === code);
  return `errors.${known ?? ErrorCode.SsoFailed}`;
}

/** Where the API sends people whose single sign-on failed. Public. */
@Component({
  selector: 'ro-sso-error',
  imports: [RouterLink, MatCard, MatCardHeader, MatCardTitle, MatCardContent, MatCardActions, MatAnchor, TranslocoPipe],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'app.name' | transloco }} — {{ 'ssoError.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          <p class="ro-error" role="alert" data-testid="sso-error">{{ key() | transloco }}</p>
          <p class="ro-muted">{{ 'ssoError.help' | transloco }}</p>
        </mat-card-content>
        <mat-card-actions align="end">
          <a mat-flat-button routerLink="/sign-in">{{ 'ssoError.back' | transloco }}</a>
        </mat-card-actions>
      </mat-card>
    </main>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SsoErrorPage {
  /** From the query string (router input binding). */
  readonly code = input<string>();
  protected readonly key = computed(() => ssoErrorKey(this.code()));
}
