import { ChangeDetectionStrategy, Component, computed, DOCUMENT, inject, input, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardSubtitle, MatCardTitle } from '@angular/material/card';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressSpinner } from '@angular/material/progress-spinner';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import { Header } from '@roster/contracts/http';
import { csrfToken } from '../core/api';
import { Session } from '../core/session';

/** What the API says an authorization asks (GET /oidc/interaction/<uid>/details). */
export interface AuthorizationRequest {
  client: { name: string; firstParty: boolean };
  scopes: string[];
  organizations: { id: string; slug: string; name: string }[];
  pick: boolean;
  consent: boolean;
}

/** The scopes the page explains, each with its icon; `openid` (who you are) is always first. */
export const SCOPE_ICONS: Record<string, string> = {
  openid: 'badge',
  email: 'mail',
  profile: 'person',
  organization: 'apartment',
  teams: 'groups',
  offline_access: 'sync',
};

type State = 'loading' | 'ready' | 'sending' | 'expired' | 'failed';

/** The API's path for an interaction (the provider's interaction cookie is scoped to it). */
export const interactionPath = (uid: string) => `/oidc/interaction/${encodeURIComponent(uid)}`;

/**
 * Where an application's sign-in through Roster stops when the person has something to decide:
 * which of their organizations it acts in, and whether they allow a third-party application what it
 * asks. Reached by a full-page redirect from the API (`/authorize/<uid>`), left the same way: the
 * answer's `location` carries on to the application. Signed out: to the sign-in, which comes back
 * through the API.
 */
@Component({
  selector: 'ro-authorize',
  imports: [
    FormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardSubtitle,
    MatCardContent,
    MatCardActions,
    MatButton,
    MatIcon,
    MatProgressSpinner,
    MatRadioGroup,
    MatRadioButton,
    TranslocoPipe,
  ],
  template: `
    <main class="ro-card-page">
      <mat-card appearance="outlined" data-testid="authorize">
        @switch (state()) {
          @case ('loading') {
            <mat-card-content class="center"
              ><mat-spinner diameter="40" [attr.aria-label]="'common.loading' | transloco"
            /></mat-card-content>
          }
          @case ('expired') {
            <mat-card-header>
              <mat-card-title
                ><h1>{{ 'authorize.expiredTitle' | transloco }}</h1></mat-card-title
              >
            </mat-card-header>
            <mat-card-content>
              <p role="alert" data-testid="authorize-expired">{{ 'authorize.expired' | transloco }}</p>
            </mat-card-content>
          }
          @default {
            @if (request(); as r) {
              <mat-card-header>
                <mat-card-subtitle>{{ 'app.name' | transloco }}</mat-card-subtitle>
                <mat-card-title
                  ><h1>{{ 'authorize.title' | transloco: { client: r.client.name } }}</h1></mat-card-title
                >
              </mat-card-header>
              <mat-card-content>
                @if (r.pick) {
                  <h2 id="authorize-organizations">{{ 'authorize.pick' | transloco }}</h2>
                  <mat-radio-group
                    class="organizations"
                    aria-labelledby="authorize-organizations"
                    [ngModel]="chosen()"
                    (ngModelChange)="chosen.set($event)"
                  >
                    @for (o of r.organizations; track o.id) {
                      <mat-radio-button [value]="o.slug" [attr.data-testid]="'authorize-org-' + o.slug">
                        <span class="name">{{ o.name }}</span> <span class="ro-muted slug">{{ o.slug }}</span>
                      </mat-radio-button>
                    }
                  </mat-radio-group>
                } @else if (chosenName(); as name) {
                  <p class="ro-muted" data-testid="authorize-organization">{{ 'authorize.in' | transloco: { organization: name } }}</p>
                }
                @if (r.consent) {
                  <h2>{{ 'authorize.wants' | transloco: { client: r.client.name } }}</h2>
                  <ul class="scopes">
                    @for (s of r.scopes; track s) {
                      <li [attr.data-testid]="'authorize-scope-' + s">
                        <mat-icon aria-hidden="true">{{ icon(s) }}</mat-icon>
                        <span>{{ 'authorize.scopes.' + s | transloco }}</span>
                      </li>
                    }
                  </ul>
                  <p class="ro-muted">{{ 'authorize.trust' | transloco: { client: r.client.name } }}</p>
                }
                @if (state() === 'failed') {
                  <p class="ro-error" role="alert" data-testid="authorize-error">{{ 'authorize.failed' | transloco }}</p>
                }
              </mat-card-content>
              <mat-card-actions align="end">
                <button mat-button type="button" data-testid="authorize-deny" [disabled]="state() === 'sending'" (click)="answer(false)">
                  {{ (r.consent ? 'authorize.deny' : 'common.cancel') | transloco }}
                </button>
                <button
                  mat-flat-button
                  type="button"
                  data-testid="authorize-allow"
                  [disabled]="state() === 'sending' || !chosen()"
                  (click)="answer(true)"
                >
                  {{ (r.consent ? 'authorize.allow' : 'authorize.continue') | transloco }}
                </button>
              </mat-card-actions>
            }
          }
        }
      </mat-card>
    </main>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
      overflow-wrap: anywhere;
    }
    h2 {
      font: var(--mat-sys-title-small);
      margin: 16px 0 8px;
      overflow-wrap: anywhere;
    }
    .center {
      display: flex;
      justify-content: center;
      padding: 32px 0;
    }
    .organizations {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .slug {
      margin-inline-start: 4px;
    }
    .scopes {
      list-style: none;
      margin: 0;
      padding: 0;
      li {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 6px 0;
      }
      mat-icon {
        flex: none;
        color: var(--mat-sys-primary);
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuthorizePage implements OnInit {
  private readonly document = inject(DOCUMENT);
  private readonly session = inject(Session);
  /** The interaction's uid, from the URL (router input binding). */
  readonly uid = input.required<string>();
  protected readonly state = signal<State>('loading');
  protected readonly request = signal<AuthorizationRequest | null>(null);
  /** The organization's slug the answer names: the one fixed, or the person's pick (their last used first). */
  protected readonly chosen = signal<string | null>(null);
  protected readonly chosenName = computed(() => this.request()?.organizations.find((o) => o.slug === this.chosen())?.name ?? null);

  async ngOnInit(): Promise<void> {
    // The person's language and theme, as everywhere in the console (nothing waits on it).
    void this.session.refresh();
    try {
      const res = await fetch(`${interactionPath(this.uid())}/details`, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (res.status === 401) return this.signIn();
      if (!res.ok) return this.state.set('expired');
      const request = (await res.json()) as AuthorizationRequest;
      this.request.set(request);
      this.chosen.set(request.organizations[0]?.slug ?? null);
      this.state.set('ready');
    } catch {
      this.state.set('expired');
    }
  }

  protected icon(scope: string): string {
    return SCOPE_ICONS[scope] ?? 'check';
  }

  /** Sends the person's answer; the API says where the browser goes on (the application, through the provider). */
  protected async answer(allow: boolean): Promise<void> {
    this.state.set('sending');
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const token = csrfToken(this.document.cookie);
    if (token) headers[Header.Csrf] = token;
    try {
      const res = await fetch(`${interactionPath(this.uid())}/confirm`, {
        method: 'POST',
        credentials: 'same-origin',
        headers,
        body: JSON.stringify(allow ? { allow, organization: this.chosen() } : { allow }),
      });
      if (res.status === 401) return this.signIn();
      if (res.status === 404) return this.state.set('expired');
      const body = (await res.json()) as { location?: string };
      if (!res.ok || !body.location) return this.state.set('failed');
      this.document.location.assign(body.location);
    } catch {
      this.state.set('failed');
    }
  }

  /** Signed out meanwhile: sign in, then back through the API, which brings the person here again if needed. */
  private signIn(): void {
    this.document.location.assign(`/sign-in?returnTo=${encodeURIComponent(interactionPath(this.uid()))}`);
  }
}
