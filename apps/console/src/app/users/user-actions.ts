import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import {
  CreatePasswordResetGQL,
  DeactivateUserGQL,
  ReactivateUserGQL,
  RegenerateInvitationGQL,
  ResetUserTwoFactorGQL,
  RevokeInvitationGQL,
  RevokeUserSessionsGQL,
  UserRowFragment,
} from '@roster/console/data-access/generated';
import { Confirm } from '../shared/confirm-dialog';
import { Notifier } from '../shared/notifier';

const WIDE = { maxWidth: '95vw' };

/**
 * What the users table does to people: inviting, and each action of a row's menu. Every action says
 * how it went and answers whether the table should be read again (something in it changed).
 */
@Injectable()
export class UserActions {
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly confirm = inject(Confirm);
  private readonly regenerateGql = inject(RegenerateInvitationGQL);
  private readonly revokeInvitationGql = inject(RevokeInvitationGQL);
  private readonly revokeSessionsGql = inject(RevokeUserSessionsGQL);
  private readonly deactivateGql = inject(DeactivateUserGQL);
  private readonly passwordResetGql = inject(CreatePasswordResetGQL);
  private readonly reactivateGql = inject(ReactivateUserGQL);
  private readonly resetTwoFactorGql = inject(ResetUserTwoFactorGQL);

  /** "Invite users", which may switch to inviting several people at once. */
  async invite(): Promise<boolean> {
    const { InviteDialog } = await import('./invite-dialog');
    const choice = await firstValueFrom(this.dialog.open(InviteDialog, WIDE).afterClosed());
    return choice === 'several' ? this.inviteSeveral() : true;
  }

  async inviteSeveral(): Promise<boolean> {
    const { BulkInviteDialog } = await import('./bulk-invite-dialog');
    await firstValueFrom(this.dialog.open(BulkInviteDialog, { width: '720px', ...WIDE, disableClose: true }).afterClosed());
    return true;
  }

  async edit(user: UserRowFragment): Promise<boolean> {
    const { EditUserDialog } = await import('./edit-user-dialog');
    const saved = await firstValueFrom(this.dialog.open(EditUserDialog, { data: user, ...WIDE }).afterClosed());
    if (saved) this.notifier.say('users.saved');
    return !!saved;
  }

  async remove(user: UserRowFragment): Promise<boolean> {
    const { DeleteUserDialog } = await import('./delete-user-dialog');
    const deleted = await firstValueFrom(this.dialog.open(DeleteUserDialog, { data: user, ...WIDE }).afterClosed());
    if (deleted) this.notifier.say('users.deleted');
    return !!deleted;
  }

  /** A new invitation URL (the old one stops working), shown to pass on. */
  async regenerate(user: UserRowFragment): Promise<boolean> {
    let shown = false;
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.regenerateGql.mutate({ variables: { userId: user.id } }));
      const invitation = result.data?.regenerateInvitation;
      if (!invitation) return;
      const { InviteDialog } = await import('./invite-dialog');
      await firstValueFrom(this.dialog.open(InviteDialog, { data: invitation, ...WIDE }).afterClosed());
      shown = true;
    });
    return shown;
  }

  revokeInvitation(user: UserRowFragment): Promise<boolean> {
    return this.notifier.attempt(async () => {
      await firstValueFrom(this.revokeInvitationGql.mutate({ variables: { userId: user.id } }));
      this.notifier.say('users.invitationRevoked');
    });
  }

  /** After a confirmation: the person keeps everything but cannot sign in; their sessions end at once. */
  async deactivate(user: UserRowFragment): Promise<boolean> {
    const data = {
      title: 'users.deactivateTitle',
      text: 'users.deactivateText',
      confirm: 'users.deactivate',
      params: { email: user.email },
    };
    if (!(await this.confirm.ask(data))) return false;
    return this.notifier.attempt(async () => {
      await firstValueFrom(this.deactivateGql.mutate({ variables: { id: user.id } }));
      this.notifier.say('users.userDeactivated', { email: user.email });
    });
  }

  reactivate(user: UserRowFragment): Promise<boolean> {
    return this.notifier.attempt(async () => {
      await firstValueFrom(this.reactivateGql.mutate({ variables: { id: user.id } }));
      this.notifier.say('users.userReactivated', { email: user.email });
    });
  }

  /** A one-time link for the person to choose a new password, shown once to pass on. */
  async resetPassword(user: UserRowFragment): Promise<boolean> {
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.passwordResetGql.mutate({ variables: { userId: user.id } }));
      const link = result.data?.createPasswordReset;
      if (!link) return;
      const { ResetLinkDialog } = await import('./reset-link-dialog');
      this.dialog.open(ResetLinkDialog, { data: { email: user.email, ...link }, ...WIDE });
    });
    return false;
  }

  /** Where the person is signed in, with a way to end each session. */
  async sessions(user: UserRowFragment): Promise<boolean> {
    const { UserSessionsDialog } = await import('./user-sessions-dialog');
    this.dialog.open(UserSessionsDialog, { data: { userId: user.id, email: user.email }, width: '640px', ...WIDE });
    return false;
  }

  async revokeSessions(user: UserRowFragment): Promise<boolean> {
    await this.notifier.attempt(async () => {
      const result = await firstValueFrom(this.revokeSessionsGql.mutate({ variables: { userId: user.id } }));
      this.notifier.say('users.sessionsRevoked', { count: result.data?.revokeUserSessions ?? 0 });
    });
    return false;
  }

  /** For someone who lost their device: removes their 2FA and ends their sessions, after a confirmation. */
  async resetTwoFactor(user: UserRowFragment): Promise<boolean> {
    const data = {
      title: 'users.resetTwoFactorTitle',
      text: 'users.resetTwoFactorText',
      confirm: 'users.resetTwoFactor',
      params: { email: user.email },
    };
    if (!(await this.confirm.ask(data))) return false;
    return this.notifier.attempt(async () => {
      await firstValueFrom(this.resetTwoFactorGql.mutate({ variables: { userId: user.id } }));
      this.notifier.say('users.twoFactorReset', { email: user.email });
    });
  }
}
