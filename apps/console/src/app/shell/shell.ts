import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { MatToolbar } from '@angular/material/toolbar';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { Permission } from '@roster/contracts/permissions';
import { OPEN_PROFILE } from '../core/profile';
import { Session } from '../core/session';

@Component({
  selector: 'ro-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbar, MatButton, MatIconButton, MatIcon, MatTooltip, TranslocoPipe],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly openProfileDialog = inject(OPEN_PROFILE);
  protected readonly Permission = Permission;

  protected readonly initials = computed(() => {
    const user = this.session.me()?.user;
    if (!user) return '?';
    const letters = `${user.firstName.charAt(0)}${user.lastName.charAt(0)}`.toUpperCase();
    return letters || user.email.charAt(0).toUpperCase();
  });

  async openProfile(): Promise<void> {
    await this.openProfileDialog();
  }

  async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigate(['/sign-in']);
  }
}
