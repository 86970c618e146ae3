import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { MatAnchor } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { AuthConfigGQL } from '@roster/console/data-access/generated';

/**
 * "Single sign-on" in the profile: links the signed-in account to the identity provider, so the
 * person may then sign in with it. Shown only when single sign-on is configured.
 */
@Component({
  selector: 'ro-sso-link',
  imports: [MatAnchor, TranslocoPipe],
  template: `
    @if (sso(); as s) {
      <section aria-labelledby="sso-section" data-testid="sso-section">
        <h3 id="sso-section">{{ 'profile.sso' | transloco }}</h3>
        <p class="ro-muted">{{ 'profile.ssoHint' | transloco: { label: s.label } }}</p>
        <a mat-stroked-button [href]="s.url + '?link=1'">{{ 'profile.ssoLink' | transloco: { label: s.label } }}</a>
      </section>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SsoLinkSection implements OnInit {
  private readonly authConfig = inject(AuthConfigGQL);
  protected readonly sso = signal<{ label: string; url: string } | null>(null);

  async ngOnInit(): Promise<void> {
    try {
      const c = (await firstValueFrom(this.authConfig.fetch({ fetchPolicy: 'cache-first' }))).data?.authConfig;
      if (c?.ssoUrl) this.sso.set({ label: c.ssoLabel ?? 'SSO', url: c.ssoUrl });
    } catch {
      // Without the configuration the section stays hidden.
    }
  }
}
