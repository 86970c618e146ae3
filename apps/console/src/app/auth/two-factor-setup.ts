import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { Router } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { TranslocoPipe } from '@jsverse/transloco';
import { Session } from '../core/session';
import { TwoFactorSection } from '../shared/two-factor/two-factor';
import { safeReturnUrl } from '../core/return-url';

/**
 * Where the two-factor policy holds a person whose role requires it: set-up (QR code, key, code,
 * recovery codes) before any other page; then on to where they were going.
 */
@Component({
  selector: 'ro-two-factor-setup',
  imports: [MatCard, MatCardHeader, MatCardTitle, MatCardContent, MatButton, TwoFactorSection, TranslocoPipe],
  template: `
    <main class="ro-card-page wide">
      <mat-card appearance="outlined">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'twoFactorSetup.title' | transloco }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content>
          <p data-testid="two-factor-required">{{ 'twoFactorSetup.intro' | transloco }}</p>
          <ro-two-factor (finished)="continue()" />
          <p class="leave">
            <button mat-button type="button" (click)="signOut()">{{ 'nav.signOut' | transloco }}</button>
          </p>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: `
    .leave {
      margin: 16px 0 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TwoFactorSetupPage {
  readonly returnUrl = input<string>();
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  async continue(): Promise<void> {
    await this.session.refresh();
    await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
  }

  async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigateByUrl('/sign-in');
  }
}
