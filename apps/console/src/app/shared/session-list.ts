import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatChip, MatChipSet } from '@angular/material/chips';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { SessionFieldsFragment } from '@roster/console/data-access/generated';
import { ExactTimePipe, RelativeTimePipe } from './time';

/** The icon of a device type as the user agent gave it. */
export function deviceIcon(deviceType: string | null | undefined): string {
  if (deviceType === 'mobile') return 'smartphone';
  if (deviceType === 'tablet') return 'tablet';
  if (deviceType === 'tv') return 'tv';
  return 'computer';
}

/** Sessions as a list: browser and system, address, signed in / last active, "this device", sign out. */
@Component({
  selector: 'ro-session-list',
  imports: [MatButton, MatIcon, MatChipSet, MatChip, MatTooltip, TranslocoPipe, RelativeTimePipe, ExactTimePipe],
  template: `
    <ul class="sessions" [attr.aria-label]="label()">
      @for (s of sessions(); track s.id) {
        <li class="session" data-testid="session">
          <mat-icon aria-hidden="true">{{ icon(s.deviceType) }}</mat-icon>
          <div class="what">
            <div class="device">
              <strong>{{
                s.browser && s.os
                  ? ('sessions.browserOn' | transloco: { browser: s.browser, os: s.os })
                  : s.browser || s.os || ('sessions.unknownDevice' | transloco)
              }}</strong>
              @if (s.current) {
                <mat-chip-set class="chips"
                  ><mat-chip highlighted data-testid="this-device">{{ 'sessions.thisDevice' | transloco }}</mat-chip></mat-chip-set
                >
              }
              @if (s.sso) {
                <mat-chip-set class="chips"
                  ><mat-chip>{{ 'sessions.sso' | transloco }}</mat-chip></mat-chip-set
                >
              }
            </div>
            <div class="ro-muted small">
              {{ s.ip || ('sessions.unknownAddress' | transloco) }} ·
              <span [matTooltip]="s.createdAt | exactTime">{{
                'sessions.signedIn' | transloco: { when: (s.createdAt | relativeTime) }
              }}</span>
              ·
              <span [matTooltip]="s.lastActiveAt | exactTime">{{
                'sessions.active' | transloco: { when: (s.lastActiveAt | relativeTime) }
              }}</span>
            </div>
          </div>
          @if (!s.current || allowCurrent()) {
            <button mat-stroked-button type="button" (click)="revoke.emit(s)" [disabled]="busy()">
              {{ 'sessions.signOut' | transloco }}
              <span class="ro-visually-hidden">{{ s.browser || '' }} {{ s.os || '' }} {{ s.ip || '' }}</span>
            </button>
          }
        </li>
      } @empty {
        <li class="ro-muted">{{ 'sessions.none' | transloco }}</li>
      }
    </ul>
  `,
  styles: `
    .sessions {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .session {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .what {
      flex: 1;
      min-width: 0;
    }
    .device {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
    }
    .chips {
      display: inline-block;
    }
    .small {
      font-size: 0.875rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SessionList {
  readonly sessions = input.required<SessionFieldsFragment[]>();
  readonly label = input.required<string>();
  readonly busy = input(false);
  /** Admins may end the session the person is using too (it is not theirs). */
  readonly allowCurrent = input(false);
  readonly revoke = output<SessionFieldsFragment>();

  protected icon = deviceIcon;
}
