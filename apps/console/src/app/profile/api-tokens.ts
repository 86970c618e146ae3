import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormField, MatLabel, MatError, MatHint } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { CdkCopyToClipboard } from '@angular/cdk/clipboard';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import { ApiTokenFieldsFragment, CreateApiTokenGQL, MyApiTokensGQL, RevokeApiTokenGQL } from '@roster/console/data-access/generated';
import { Permission } from '@roster/contracts/permissions';
import { errorKey } from '../core/api';
import { Session } from '../core/session';
import { Confirm } from '../shared/confirm-dialog';
import { ExactTimePipe, isPast, RelativeTimePipe } from '../shared/time';
import { Lookups } from '../shared/lookups';
import { Notifier } from '../shared/notifier';
import { RoleNamePipe, RoleNames } from '../shared/role-name';
import { Submission } from '../shared/submission';
import { FormStatus } from '../shared/form-status';

/** API tokens for integrators: list, create (secret shown once), revoke. */
@Component({
  selector: 'ro-api-tokens',
  imports: [
    ReactiveFormsModule,
    MatFormField,
    MatLabel,
    MatError,
    MatHint,
    MatInput,
    MatSelect,
    MatOption,
    MatButton,
    MatIconButton,
    MatIcon,
    MatTooltip,
    CdkCopyToClipboard,
    TranslocoPipe,
    RoleNamePipe,
    RelativeTimePipe,
    ExactTimePipe,
    FormStatus,
  ],
  templateUrl: './api-tokens.html',
  styleUrl: './api-tokens.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiTokensSection implements OnInit {
  private readonly session = inject(Session);
  private readonly lookups = inject(Lookups);
  private readonly listGql = inject(MyApiTokensGQL);
  private readonly createGql = inject(CreateApiTokenGQL);
  private readonly revokeGql = inject(RevokeApiTokenGQL);
  private readonly confirm = inject(Confirm);
  private readonly notifier = inject(Notifier);
  private readonly roleNames = inject(RoleNames);

  protected readonly isPast = isPast;
  protected readonly canCreate = computed(() => this.session.can(Permission.TokensCreate));
  protected readonly tokens = signal<ApiTokenFieldsFragment[]>([]);
  protected readonly loaded = signal(false);
  protected readonly creating = signal(false);
  /** The new token's secret: shown once, until "Done". */
  protected readonly secret = signal<{ name: string; secret: string } | null>(null);
  private readonly submission = new Submission();
  protected readonly busy = this.submission.busy;
  protected readonly error = this.submission.error;
  /** Roles a token may be capped to: those within the person's own permissions. */
  protected readonly roles = this.lookups.grantableRoles;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(80)]],
    expiresInDays: [null as number | null, [Validators.min(1), Validators.max(3650)]],
    roleId: [''],
  });

  async ngOnInit(): Promise<void> {
    await this.load();
  }

  async load(): Promise<void> {
    try {
      const result = await firstValueFrom(this.listGql.fetch({ fetchPolicy: 'network-only' }));
      this.tokens.set(result.data?.myApiTokens ?? []);
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.loaded.set(true);
    }
  }

  async openCreate(): Promise<void> {
    this.form.reset();
    this.error.set(null);
    this.secret.set(null);
    this.creating.set(true);
    try {
      if (!this.lookups.roles().length) await this.lookups.load();
    } catch {
      // Without roles, tokens simply act with the person's own permissions.
    }
  }

  cancelCreate(): void {
    this.creating.set(false);
    this.error.set(null);
  }

  async create(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, expiresInDays, roleId } = this.form.getRawValue();
    await this.submission.run(async () => {
      const input = { name: name.trim(), expiresInDays: expiresInDays || null, roleId: roleId || null };
      const result = await firstValueFrom(this.createGql.mutate({ variables: { input } }));
      const created = result.data?.createApiToken;
      if (created) {
        this.secret.set({ name: created.token.name, secret: created.secret });
        this.tokens.update((list) => [created.token, ...list]);
      }
      this.creating.set(false);
    });
  }

  dismissSecret(): void {
    this.secret.set(null);
  }

  async revoke(token: ApiTokenFieldsFragment): Promise<void> {
    const data = { title: 'tokens.revokeTitle', text: 'tokens.revokeText', confirm: 'tokens.revoke', params: { name: token.name } };
    if (!(await this.confirm.ask(data))) return;
    await this.notifier.attempt(async () => {
      await firstValueFrom(this.revokeGql.mutate({ variables: { id: token.id } }));
      this.tokens.update((list) => list.filter((t) => t.id !== token.id));
      if (this.secret()?.name === token.name) this.secret.set(null);
      this.notifier.say('tokens.revoked');
    });
  }

  copied(): void {
    this.notifier.say('tokens.copied');
  }

  /** The role a token is capped to, as the console names it. */
  capName(token: ApiTokenFieldsFragment): string {
    return token.roleName ? this.roleNames.name({ key: token.roleKey, name: token.roleName }) : '';
  }
}
