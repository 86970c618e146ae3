import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatCard, MatCardActions, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect, MatOption } from '@angular/material/select';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatButton } from '@angular/material/button';
import { TranslocoPipe } from '@jsverse/transloco';
import { firstValueFrom } from 'rxjs';
import {
  DeleteSsoConnectionGQL,
  SetSsoConnectionGQL,
  SsoConnectionFieldsFragment,
  SsoConnectionGQL,
  TestSsoConnectionGQL,
} from '@roster/console/data-access/generated';
import { errorKey } from '../core/api';
import { Notifier } from '../shared/notifier';
import { FormStatus } from '../shared/form-status';
import { RoleNamePipe } from '../shared/role-name';

/** An issuer the API accepts: an https URL (plain http to localhost, for development). */
const ISSUER = /^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)(\/[^\s?#]*)?$/;

/** The organization's single sign-on connection (sso:manage): its provider, the secret (write-only), and whether SSO is required. */
@Component({
  selector: 'ro-sso-page',
  imports: [
    ReactiveFormsModule,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatCardActions,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSelect,
    MatOption,
    MatSlideToggle,
    MatButton,
    TranslocoPipe,
    FormStatus,
    RoleNamePipe,
  ],
  template: `
    <div class="ro-page">
      <h1>{{ 'ssoSettings.title' | transloco }}</h1>
      <p class="intro">{{ 'ssoSettings.intro' | transloco }}</p>
      <mat-card appearance="outlined" class="card">
        <mat-card-header>
          <mat-card-title>
            <h2>{{ 'ssoSettings.connection' | transloco }}</h2>
          </mat-card-title>
        </mat-card-header>
        <mat-card-content>
          @if (saved()?.fromEnv) {
            <p class="note" data-testid="sso-from-env">{{ 'ssoSettings.fromEnv' | transloco }}</p>
          }
          <form class="ro-form" [formGroup]="form" (ngSubmit)="save()" id="sso-form">
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>{{ 'ssoSettings.issuer' | transloco }}</mat-label>
              <input
                matInput
                formControlName="issuer"
                placeholder="https://login.example.com/realms/acme"
                spellcheck="false"
                autocomplete="off"
              />
              <mat-hint>{{ 'ssoSettings.issuerHint' | transloco }}</mat-hint>
              <mat-error>{{ 'ssoSettings.issuerInvalid' | transloco }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>{{ 'ssoSettings.clientId' | transloco }}</mat-label>
              <input matInput formControlName="clientId" spellcheck="false" autocomplete="off" />
              <mat-error>{{ 'common.required' | transloco }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>{{ 'ssoSettings.clientSecret' | transloco }}</mat-label>
              <input matInput type="password" formControlName="clientSecret" autocomplete="new-password" data-testid="sso-secret" />
              <mat-hint data-testid="sso-secret-state">{{
                (saved()?.hasSecret ? 'ssoSettings.secretSet' : 'ssoSettings.secretNotSet') | transloco
              }}</mat-hint>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>{{ 'ssoSettings.label' | transloco }}</mat-label>
              <input matInput formControlName="label" maxlength="40" />
              <mat-hint>{{ 'ssoSettings.labelHint' | transloco }}</mat-hint>
              <mat-error>{{ 'common.required' | transloco }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>{{ 'ssoSettings.defaultRole' | transloco }}</mat-label>
              <mat-select formControlName="defaultRoleId">
                @for (role of roles(); track role.id) {
                  <mat-option [value]="role.id">{{ role | roleName }}</mat-option>
                }
              </mat-select>
              <mat-hint>{{ 'ssoSettings.defaultRoleHint' | transloco }}</mat-hint>
              <mat-error>{{ 'common.required' | transloco }}</mat-error>
            </mat-form-field>
            <mat-slide-toggle formControlName="requireSso" data-testid="sso-require">{{
              'ssoSettings.requireSso' | transloco
            }}</mat-slide-toggle>
            <p class="hint">{{ 'ssoSettings.requireSsoHint' | transloco }}</p>
          </form>
          @if (test(); as t) {
            <p class="test" [class.ok]="t.ok" role="status" data-testid="sso-test-result">
              {{ (t.ok ? 'ssoSettings.testOk' : 'ssoSettings.testFailed') | transloco }} {{ t.message }}
            </p>
          }
          <ro-form-status [error]="error()" [busy]="busy()" />
        </mat-card-content>
        <mat-card-actions align="end">
          @if (saved()) {
            <button mat-button type="button" class="delete" (click)="remove()" [disabled]="busy()" data-testid="sso-delete">
              {{ (confirming() ? 'ssoSettings.deleteConfirm' : 'ssoSettings.delete') | transloco }}
            </button>
          }
          <button mat-stroked-button type="button" (click)="check()" [disabled]="busy()" data-testid="sso-test">
            {{ 'ssoSettings.test' | transloco }}
          </button>
          <button mat-flat-button type="submit" form="sso-form" [disabled]="busy()" data-testid="sso-save">
            {{ 'ssoSettings.save' | transloco }}
          </button>
        </mat-card-actions>
      </mat-card>
    </div>
  `,
  styles: `
    h1 {
      margin: 8px 0 12px;
      font: var(--mat-sys-headline-small);
    }
    h2 {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    .card {
      max-width: 760px;
    }
    .intro {
      max-width: 760px;
    }
    .intro,
    .hint,
    .note {
      color: var(--mat-sys-on-surface-variant);
    }
    .hint {
      margin: 4px 0 8px;
    }
    form mat-form-field {
      margin-bottom: 8px;
    }
    .test {
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
      overflow-wrap: anywhere;
    }
    .test.ok {
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .delete {
      margin-right: auto;
      color: var(--mat-sys-error);
    }
    mat-card-actions {
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SsoPage implements OnInit {
  private readonly connectionGql = inject(SsoConnectionGQL);
  private readonly setGql = inject(SetSsoConnectionGQL);
  private readonly testGql = inject(TestSsoConnectionGQL);
  private readonly deleteGql = inject(DeleteSsoConnectionGQL);
  private readonly notifier = inject(Notifier);

  protected readonly saved = signal<SsoConnectionFieldsFragment | null>(null);
  protected readonly roles = signal<{ id: string; key: string; name: string }[]>([]);
  protected readonly test = signal<{ ok: boolean; message: string } | null>(null);
  protected readonly busy = signal(false);
  /** Delete was pressed once: the second press removes the connection. */
  protected readonly confirming = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    issuer: ['', [Validators.required, Validators.pattern(ISSUER), Validators.maxLength(500)]],
    clientId: ['', [Validators.required, Validators.maxLength(200)]],
    clientSecret: ['', Validators.maxLength(500)],
    label: ['SSO', [Validators.required, Validators.maxLength(40)]],
    defaultRoleId: ['', Validators.required],
    requireSso: [false],
  });

  ngOnInit(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const result = await firstValueFrom(this.connectionGql.fetch({ fetchPolicy: 'network-only' }));
      // Admin is never a default role: everyone of the organization's domains would become one.
      const roles = (result.data?.roles ?? []).filter((r) => r.key !== 'ADMIN');
      this.roles.set(roles);
      this.show(result.data?.ssoConnection ?? null, roles.find((r) => r.key === 'MEMBER')?.id ?? '');
    } catch (e) {
      this.error.set(errorKey(e));
    }
  }

  private show(connection: SsoConnectionFieldsFragment | null, fallbackRole = ''): void {
    this.saved.set(connection);
    this.form.reset({
      issuer: connection?.issuer ?? '',
      clientId: connection?.clientId ?? '',
      clientSecret: '',
      label: connection?.label ?? 'SSO',
      defaultRoleId: connection?.defaultRoleId ?? fallbackRole,
      requireSso: connection?.requireSso ?? false,
    });
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
    } catch (e) {
      this.error.set(errorKey(e));
    } finally {
      this.busy.set(false);
    }
  }

  async check(): Promise<void> {
    const issuer = this.form.controls.issuer;
    if (issuer.invalid) {
      issuer.markAsTouched();
      return;
    }
    this.test.set(null);
    await this.run(async () => {
      const result = await firstValueFrom(this.testGql.mutate({ variables: { input: { issuer: issuer.value.trim() } } }));
      this.test.set(result.data?.testSsoConnection ?? null);
    });
  }

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    await this.run(async () => {
      const result = await firstValueFrom(
        this.setGql.mutate({
          variables: {
            input: {
              issuer: v.issuer.trim(),
              clientId: v.clientId.trim(),
              clientSecret: v.clientSecret ? v.clientSecret : null,
              label: v.label.trim(),
              defaultRoleId: v.defaultRoleId,
              requireSso: v.requireSso,
            },
          },
        }),
      );
      this.show(result.data?.setSsoConnection ?? null);
      this.notifier.say('ssoSettings.saved');
    });
  }

  async remove(): Promise<void> {
    if (!this.confirming()) {
      this.confirming.set(true);
      return;
    }
    this.confirming.set(false);
    await this.run(async () => {
      await firstValueFrom(this.deleteGql.mutate({}));
      this.show(null, this.roles().find((r) => r.key === 'MEMBER')?.id ?? '');
      this.test.set(null);
      this.notifier.say('ssoSettings.deleted');
    });
  }
}
