import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { MatButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  AuthConfigGQL,
  SetTwoFactorPolicyGQL,
  SsoTwoFactorMode,
  TwoFactorPolicyFieldsFragment,
  TwoFactorPolicyGQL,
} from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe, RoleNames } from '../shared/role-name';
import { isChanged, policyChange, RolePolicy, ssoTightenedRoles } from './policy-change';
import { PolicyConfirmData, PolicyConfirmDialog } from './policy-confirm-dialog';
import { FormStatus } from '../shared/form-status';

/** Security settings (users:security): which roles require two-factor authentication, and how single sign-on counts. */
@Component({
  selector: 'ro-security-page',
  imports: [
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatSlideToggle,
    MatRadioGroup,
    MatRadioButton,
    MatButton,
    TranslocoPipe,
    RoleNamePipe,
    FormStatus,
  ],
  templateUrl: './security-page.html',
  styleUrl: './security-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SecurityPage implements OnInit {
  private readonly policyGql = inject(TwoFactorPolicyGQL);
  private readonly setPolicyGql = inject(SetTwoFactorPolicyGQL);
  private readonly authConfigGql = inject(AuthConfigGQL);
  private readonly session = inject(Session);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly roleNames = inject(RoleNames);

  /** The saved policy, with its counts. */
  protected readonly roles = signal<RolePolicy[]>([]);
  private readonly savedSso = signal<SsoTwoFactorMode>('TRUST_PROVIDER');
  /** Staged: the roles that require two-factor authentication, and the SSO rule. */
  protected readonly required = signal<ReadonlySet<string>>(new Set());
  protected readonly ssoMode = signal<SsoTwoFactorMode>('TRUST_PROVIDER');
  protected readonly ssoConfigured = signal(false);
  protected readonly loading = signal(true);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly changed = computed(() => isChanged(this.roles(), this.required(), this.savedSso(), this.ssoMode()));

  ngOnInit(): void {
    void this.load();
    void this.loadSso();
  }

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const result = await firstValueFrom(this.policyGql.fetch({ fetchPolicy: 'network-only' }));
      const policy = result.data?.twoFactorPolicy;
      if (policy) this.apply(policy);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loading.set(false);
    }
  }

  toggle(roleId: string, on: boolean): void {
    this.required.update((ids) => {
      const next = new Set(ids);
      if (on) next.add(roleId);
      else next.delete(roleId);
      return next;
    });
  }

  discard(): void {
    this.required.set(
      new Set(
        this.roles()
          .filter((r) => r.required)
          .map((r) => r.role.id),
      ),
    );
    this.ssoMode.set(this.savedSso());
  }

  async save(): Promise<void> {
    if (!this.changed() || this.saving()) return;
    const user = this.session.me()?.user;
    const me = user ? { roleId: user.role.id, twoFactorEnabled: user.twoFactorEnabled } : null;
    const change = policyChange(this.roles(), this.required(), me);
    const sso = ssoTightenedRoles(this.roles(), this.required(), this.savedSso(), this.ssoMode());
    if (change.affected > 0 || sso.length) {
      const data: PolicyConfirmData = {
        affected: change.affected,
        roles: change.newlyRequired.map((r) => this.roleNames.name(r.role)).join(', '),
        includesMe: change.includesMe,
        ssoRoles: sso.length ? sso.map((r) => this.roleNames.name(r.role)).join(', ') : null,
      };
      const confirmed = await firstValueFrom(this.dialog.open(PolicyConfirmDialog, { data, maxWidth: '95vw' }).afterClosed());
      if (!confirmed) return;
    }
    this.saving.set(true);
    try {
      const input = { requiredRoleIds: [...this.required()], ssoMode: this.ssoMode() };
      const result = await firstValueFrom(this.setPolicyGql.mutate({ variables: { input } }));
      const policy = result.data?.setTwoFactorPolicy;
      if (policy) this.apply(policy);
      this.notifier.say('twoFactorPolicy.saved');
      // Fresh counts (and, should the policy now hold the admin themself, the way to the set-up).
      await this.load();
    } catch (e) {
      this.notifier.failed(e);
    } finally {
      this.saving.set(false);
    }
  }

  private apply(policy: TwoFactorPolicyFieldsFragment): void {
    this.roles.set(policy.roles);
    this.savedSso.set(policy.ssoMode);
    this.discard();
  }

  private async loadSso(): Promise<void> {
    try {
      const result = await firstValueFrom(this.authConfigGql.fetch({ fetchPolicy: 'network-only' }));
      this.ssoConfigured.set(!!result.data?.authConfig.ssoUrl);
    } catch {
      this.ssoConfigured.set(false);
    }
  }
}
